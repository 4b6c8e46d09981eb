"""The plugin registry: which plugins are installed and in what order they set up.

A plugin is a Django app under ``plugins/`` whose AppConfig may declare
``dependencies`` (labels of other plugins) and whose module may offer
``setup.setup()`` (its idempotent profile: groups, roles, workflows, index pages)
and ``demo.load_demo(stdout)`` (its demo content). Both commands run these in
dependency order, so a plugin can rely on what its dependencies created.
"""

from graphlib import CycleError, TopologicalSorter
from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured


def installed_plugins():
    """App configs of the installed plugins, dependencies first."""
    configs = {
        config.label: config
        for config in apps.get_app_configs()
        if config.name.startswith("plugins.") or getattr(config, "is_gongjian_plugin", False)
    }
    graph = {}
    for label, config in configs.items():
        deps = tuple(getattr(config, "dependencies", ()))
        missing = [dep for dep in deps if dep not in configs]
        if missing:
            raise ImproperlyConfigured(
                f"Plugin {label!r} needs {', '.join(missing)}, which is not installed"
            )
        graph[label] = deps
    try:
        order = list(TopologicalSorter(graph).static_order())
    except CycleError as exc:
        raise ImproperlyConfigured(f"Plugin dependencies form a cycle: {exc.args[1]}") from exc
    return [configs[label] for label in order]


def plugin_hooks(module_name, function_name):
    """Yield (plugin config, function) for each plugin that offers ``module.function``."""
    for config in installed_plugins():
        qualified = f"{config.name}.{module_name}"
        if find_spec(qualified) is None:
            continue
        function = getattr(import_module(qualified), function_name, None)
        if function is not None:
            yield config, function
