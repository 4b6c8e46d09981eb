"""The Django project of Gongjian (共建).

The folder is called ``site/`` but is imported as ``gongjian_site``: ``site`` is a
standard-library module that the interpreter imports at start-up, so a package of
that name could never be imported. ``pyproject.toml`` maps the import name to the
folder (``package-dir``) and ``make`` installs the project in editable mode.
"""
