"""What other plugins may use of the workflows plugin besides its models.

``attach_workflow(key, pages)`` puts pages (and so their children) on one of the default
workflows (``unit_update``, ``case_publish``, ``minutes_publish``), creating it with its
steps the first time; ``attach_to_type(key, model)`` makes every page of a type follow
one wherever it hangs. Both are idempotent and keep a workflow an administrator chose.
A plugin calls them from its ``setup()``, guarded by
``apps.is_installed("plugins.workflows")``: workflows is optional for every plugin.
"""

from .defaults import attach_to_type, attach_workflow

__all__ = ["attach_to_type", "attach_workflow"]
