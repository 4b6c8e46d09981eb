"""The plugin registry: which plugins are installed and in what order they set up.

A plugin is a Django app under ``plugins/`` whose AppConfig may declare
``dependencies`` (labels of other plugins) and whose module may offer
``setup.setup()`` (its idempotent profile: groups, roles, workflows, index pages)
and ``demo.load_demo(stdout)`` (its demo content). Both commands run these in
dependency order, so a plugin can rely on what its dependencies created.

Which plugins a site runs is the ``INSTALLED_PLUGINS`` setting (labels; the
environment variable of that name, comma-separated, in base.py), from which
INSTALLED_APPS is built. A plugin may be left out: its URLs (``url_includes`` of its
AppConfig), hooks and menu items go with it, since the core names no plugin. One that
needs a left-out plugin is refused when Django starts (``check_dependencies``), before
any models are loaded, with a message naming both.
"""

from dataclasses import dataclass
from graphlib import CycleError, TopologicalSorter
from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.urls import include, path


def _plugin_configs():
    return {
        config.label: config
        for config in apps.get_app_configs()
        if config.name.startswith("plugins.") or getattr(config, "is_gongjian_plugin", False)
    }


def missing_dependencies(configs):
    """[(plugin config, [labels it needs that are not installed])], plugins in app order."""
    found = []
    for config in configs.values():
        missing = [dep for dep in getattr(config, "dependencies", ()) if dep not in configs]
        if missing:
            found.append((config, missing))
    return found


def refusal(config, missing):
    """The start-up message for a plugin whose dependencies are left out, both languages."""
    names = "、".join(f"“{_known_name(label)}”({label})" for label in missing)
    return (
        f"插件“{config.verbose_name}”({config.label}) 依赖 {names}，但它不在 INSTALLED_PLUGINS "
        f"中：请把 {', '.join(missing)} 加入 INSTALLED_PLUGINS，或把 {config.label} 也去掉。"
        f" / Plugin {config.label!r} depends on {', '.join(map(repr, missing))}, which "
        f"INSTALLED_PLUGINS leaves out: add {', '.join(missing)} to INSTALLED_PLUGINS, or "
        f"leave {config.label!r} out as well."
    )


def _known_name(label):
    """A left-out plugin's Chinese name, read from its AppConfig class without installing it."""
    module_name = f"plugins.{label}.apps"
    if find_spec(f"plugins.{label}") is None or find_spec(module_name) is None:
        return label
    for value in vars(import_module(module_name)).values():
        if getattr(value, "label", None) == label and hasattr(value, "verbose_name"):
            return str(value.verbose_name)
    return label


def check_dependencies():
    """Refuse to start when an installed plugin needs one that is left out.

    Called by the core app before any models are imported (GongjianSiteConfig), since a
    plugin's models import its dependencies' models and would otherwise fail with
    Django's obscure "doesn't declare an explicit app_label"."""
    problems = missing_dependencies(_plugin_configs())
    if problems:
        raise ImproperlyConfigured(
            "\n".join(refusal(config, missing) for config, missing in problems)
        )


def plugin_urls():
    """The public URL patterns each installed plugin declares (``url_includes`` on its
    AppConfig: (prefix, URLconf module) pairs), so a left-out plugin's URLs are absent."""
    return [
        path(prefix, include(module))
        for config in installed_plugins()
        for prefix, module in getattr(config, "url_includes", ())
    ]


def installed_plugins():
    """App configs of the installed plugins, dependencies first."""
    configs = _plugin_configs()
    problems = missing_dependencies(configs)
    if problems:
        raise ImproperlyConfigured(refusal(*problems[0]))
    graph = {label: tuple(getattr(config, "dependencies", ())) for label, config in configs.items()}
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


# --- Profiles: versions and numbered upgrade steps (Plone's portal_setup) -------------
#
# A plugin's ``setup`` module may declare ``PROFILE_VERSION`` (an integer, 1 when
# absent) and ``UPGRADES = {n: step}``: ``step()`` brings a site from version n - 1 to
# n (rename a group, change a workflow, fill a new field). ``setup()`` stays the
# idempotent profile that creates what the current version has.


@dataclass
class Profile:
    """What the code offers for one plugin, beside what the site has installed."""

    config: object
    version: int
    upgrades: dict
    installed: object = None  # the PluginProfile row, None when never installed

    @property
    def label(self):
        return self.config.label

    @property
    def name(self):
        return str(self.config.verbose_name)

    @property
    def description(self):
        text = getattr(self.config, "description", None) or self.config.__doc__ or ""
        return " ".join(str(text).split())

    @property
    def dependencies(self):
        return tuple(getattr(self.config, "dependencies", ()))

    @property
    def installed_version(self):
        return self.installed.version if self.installed else None

    @property
    def pending(self):
        """[(n, step)] the site has not run yet, in order."""
        if self.installed is None:
            return []
        return [(n, step) for n, step in sorted(self.upgrades.items())
                if self.installed.version < n <= self.version]  # fmt: skip

    @property
    def has_demo(self):
        return find_spec(f"{self.config.name}.demo") is not None

    @property
    def state(self):
        if self.installed is None:
            return "new"
        if self.installed.version > self.version:
            return "newer"
        return "pending" if self.pending else "current"


def _setup_module(config):
    qualified = f"{config.name}.setup"
    return import_module(qualified) if find_spec(qualified) is not None else None


def profiles():
    """Every installed plugin's Profile, dependencies first, with its recorded row."""
    from .models import PluginProfile

    rows = {row.label: row for row in PluginProfile.objects.all()}
    found = []
    for config in installed_plugins():
        module = _setup_module(config)
        version = int(getattr(module, "PROFILE_VERSION", 1))
        upgrades = dict(getattr(module, "UPGRADES", {}))
        bad = [n for n in upgrades if not 1 < n <= version]
        if bad:
            raise ImproperlyConfigured(
                f"Plugin {config.label!r}: upgrade steps {bad} lie outside 2..{version}"
            )
        found.append(Profile(config, version, upgrades, rows.get(config.label)))
    return found


def apply_profile(profile, stdout=None):
    """Install ``profile``'s plugin or bring it up to date; returns what was done.

    Each upgrade step runs in its own transaction and is recorded as it commits, so a
    step that fails leaves the site at the last good version and the next run resumes
    there. ``setup()`` runs after the steps (it is idempotent), so a re-run changes
    nothing.
    """
    from django.db import transaction
    from django.utils import timezone

    from .models import PluginProfile

    module = _setup_module(profile.config)
    setup = getattr(module, "setup", None)
    if profile.state == "newer":
        raise ImproperlyConfigured(
            f"插件“{profile.name}”在本站记录的版本 {profile.installed_version} 比代码中的版本 "
            f"{profile.version} 新：请使用与数据库相符的版本，不能降级。"
        )
    done = []
    if profile.installed is None:
        with transaction.atomic():
            if setup:
                setup()
            profile.installed = PluginProfile.objects.create(
                label=profile.label, version=profile.version
            )
        done.append(f"安装 v{profile.version}")
        return done
    for number, step in profile.pending:
        with transaction.atomic():
            step()
            profile.installed.version = number
            profile.installed.upgraded_at = timezone.now()
            profile.installed.save(update_fields=["version", "upgraded_at"])
        done.append(f"升级步骤 {number}")
    with transaction.atomic():
        if setup:
            setup()
    return done
