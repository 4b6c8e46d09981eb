"""Plugins use each other only through public modules; the core uses no plugin.

DESIGN.md: "a plugin talks to another only through the other's public modules
(``models``, and ``api`` for functions), never its internals". A plugin's package
(``__init__``), ``models`` and ``api`` are public; everything else in it (records,
grants, setup, demo, validators, stats, blocks, importing ...) is private, free to
change without breaking another plugin. The core (``gongjian_site`` in site/, and
search/) comes before every plugin: plugins may import it, it reaches plugins only
through hooks and registries (Wagtail hooks, ``plugin_hooks``, the app registry), so
any plugin can be left out of INSTALLED_PLUGINS.

The check parses every module rather than importing it, so imports inside functions
(lazy imports hide the dependency graph) count like any other, and a violation is
named by file, line and module. Migrations are left out: they are history, and they
name callables by the module that defined them.
"""

import ast
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PUBLIC = {"models", "api"}

# Core modules that still import a plugin, each with the reason; the test fails when
# one is added, and when one listed here stops doing so (remove it from the list).
CORE_EXCEPTIONS = {
    # Search indexes organisation pages by their place in the tree (owned by the
    # search work; to become a hook that plugins fill).
    ("search/api.py", "plugins.orgs.models"),
    ("search/documents.py", "plugins.orgs.models"),
}


# Imports of another plugin's private module that are still being moved, each with who
# moves it; the test fails on any other, and when one listed here is gone (remove it).
PENDING = set()


def package_of(path):
    """The package a relative import in ``path`` starts from: the folder's dotted name
    (site/ is installed as gongjian_site), for ``__init__.py`` too."""
    parts = list(path.relative_to(ROOT).parent.parts)
    if parts and parts[0] == "site":
        parts[0] = "gongjian_site"
    return parts


def imported_modules(path):
    """(line, dotted module) for every import in ``path``, wherever it stands.

    ``from plugins.x import y`` yields ``plugins.x.y`` (y may be a module); relative
    imports are resolved against the file's package."""
    package = package_of(path)
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                module = ".".join([*base, *([node.module] if node.module else [])])
            else:
                module = node.module
            for alias in node.names:
                yield node.lineno, f"{module}.{alias.name}"


def modules_under(folder):
    for path in sorted((ROOT / folder).rglob("*.py")):
        if "migrations" not in path.parts:
            yield path


def is_module(parts):
    """Whether ``plugins.x.y...`` names a module or package rather than a name in one."""
    path = ROOT.joinpath(*parts)
    return path.with_suffix(".py").exists() or path.is_dir()


def is_public(parts):
    """``plugins.x``, ``plugins.x.models`` / ``plugins.x.api`` or a name in one of them."""
    if len(parts) == 2:
        return True
    if len(parts) == 3:
        return parts[2] in PUBLIC or not is_module(parts)
    return len(parts) == 4 and parts[2] in PUBLIC and not is_module(parts)


def plugin_violations():
    found = []
    for path in modules_under("plugins"):
        owner = path.relative_to(ROOT).parts[1]
        for line, module in imported_modules(path):
            parts = module.split(".")
            if parts[0] != "plugins" or len(parts) < 2 or parts[1] == owner:
                continue
            if not is_public(parts):
                found.append(f"{path.relative_to(ROOT)}:{line} imports {module}")
    return found


def core_imports():
    """{(file, plugins.x.y)} for the core's imports of plugins, and their first lines."""
    found, lines = set(), {}
    for folder in ("site", "search"):
        for path in modules_under(folder):
            for line, module in imported_modules(path):
                if module.split(".")[0] == "plugins":
                    key = (str(path.relative_to(ROOT)), ".".join(module.split(".")[:3]))
                    found.add(key)
                    lines.setdefault(key, line)
    return found, lines


def import_error_guards():
    """Imports of another plugin inside ``try: ... except ImportError``: a left-out plugin
    is still importable as a package, and loading its models raises RuntimeError (their
    app is not installed), so such a guard never fires; ``apps.is_installed`` does."""
    found = []
    for path in modules_under("plugins"):
        owner = path.relative_to(ROOT).parts[1]
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Try):
                continue
            caught = {
                name.id
                for handler in node.handlers
                for name in ast.walk(handler.type or ast.Name("BaseException"))
                if isinstance(name, ast.Name)
            }
            if not caught & {"ImportError", "ModuleNotFoundError"}:
                continue
            for statement in node.body:
                for inner in ast.walk(statement):
                    module = getattr(inner, "module", None) or ""
                    if (
                        isinstance(inner, ast.ImportFrom)
                        and module.startswith("plugins.")
                        and module.split(".")[1] != owner
                    ):
                        found.append(f"{path.relative_to(ROOT)}:{inner.lineno} guards {module}")
    return found


URL_CALLS = {"reverse", "reverse_lazy", "redirect", "resolve_url"}
TEMPLATE_URL = re.compile(r"""{%\s*url\s+['"]([^'"]+)['"]""")


def url_owner(name, labels):
    """The plugin a URL name belongs to by its first word (``access_…``, ``evaluation:…``)."""
    first = re.split(r"[_:]", name, maxsplit=1)[0]
    return first if first in labels else None


def foreign_url_names():
    """URL names of another plugin that a plugin reverses, in code or in its templates:
    a URL name is as private as a module (access's admin may rename its actions)."""
    root = ROOT / "plugins"
    labels = {path.name for path in root.iterdir() if (path / "apps.py").exists()}
    found = []
    for path in modules_under("plugins"):
        owner = path.relative_to(ROOT).parts[1]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and node.args):
                continue
            func = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            name = getattr(node.args[0], "value", None)
            foreign = isinstance(name, str) and url_owner(name, labels) not in (None, owner)
            if func in URL_CALLS and foreign:
                found.append(f"{path.relative_to(ROOT)}:{node.lineno} reverses {name}")
    for path in sorted(root.glob("*/templates/**/*.html")):
        owner = path.relative_to(ROOT).parts[1]
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            for name in TEMPLATE_URL.findall(line):
                if url_owner(name, labels) not in (None, owner):
                    found.append(f"{path.relative_to(ROOT)}:{number} reverses {name}")
    return found


def test_plugins_reverse_only_their_own_url_names():
    names = foreign_url_names()
    assert not names, (
        "A plugin reverses another plugin's URL name; ask for the URL through that "
        "plugin's api (access.api.removal_url …):\n" + "\n".join(names)
    )


def test_optional_plugins_are_guarded_by_is_installed():
    guards = import_error_guards()
    assert not guards, (
        "Check apps.is_installed('plugins.<name>') before importing an optional plugin; "
        "except ImportError does not catch a left-out plugin:\n" + "\n".join(guards)
    )


def test_plugins_import_only_each_others_public_modules():
    pending = set(PENDING)
    violations, seen = [], set()
    for violation in plugin_violations():
        where, module = violation.split(" imports ")
        key = (where.rsplit(":", 1)[0], ".".join(module.split(".")[:3]))
        if key in pending:
            seen.add(key)
        else:
            violations.append(violation)
    assert not pending - seen, f"No longer imported, remove from PENDING: {pending - seen}"
    assert not violations, (
        "A plugin imports another plugin's private module; use its `models` or `api` "
        "(add the name to plugins/<name>/api.py):\n" + "\n".join(violations)
    )


def test_the_core_imports_no_plugin():
    found, lines = core_imports()
    new = sorted(found - CORE_EXCEPTIONS)
    assert not new, "The core imports a plugin; use a hook or the app registry:\n" + "\n".join(
        f"{path}:{lines[(path, module)]} imports {module}" for path, module in new
    )
    stale = sorted(CORE_EXCEPTIONS - found)
    assert not stale, f"No longer imported, remove from CORE_EXCEPTIONS: {stale}"


def test_the_check_sees_imports_inside_functions(tmp_path, monkeypatch):
    """The walkers find a lazy, relative import of a private module and an ImportError
    guard, each with its line, and let public imports pass."""
    plugin = tmp_path / "plugins" / "demo_a"
    plugin.mkdir(parents=True)
    (plugin / "__init__.py").write_text("")
    (plugin / "views.py").write_text(
        "from plugins.orgs.models import CommunityPage\n"
        "from plugins.orgs import api\n\n"
        "def view():\n"
        "    from ..orgs.setup import STAFF_GROUP\n"
        "    return STAFF_GROUP\n\n"
        "def optional():\n"
        "    try:\n"
        "        from plugins.orgs.models import CityPage\n"
        "    except ImportError:\n"
        "        return reverse('orgs_city_modeladmin_index')\n"
    )
    (tmp_path / "plugins" / "orgs").mkdir()
    (tmp_path / "plugins" / "orgs" / "apps.py").write_text("")
    (plugin / "apps.py").write_text("")
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)
    assert plugin_violations() == [
        "plugins/demo_a/views.py:5 imports plugins.orgs.setup.STAFF_GROUP"
    ]
    assert import_error_guards() == ["plugins/demo_a/views.py:10 guards plugins.orgs.models"]
    assert foreign_url_names() == ["plugins/demo_a/views.py:12 reverses orgs_city_modeladmin_index"]
