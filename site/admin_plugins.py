"""设置 › 插件管理 (Plone's 扩展 control panel), for superusers.

Each installed plugin with its Chinese name, description, the profile version the site
has and the one the code offers, its dependencies, its pending upgrade steps (with a
button that runs them, as ``setup_site`` would) and whether its demo content is loaded.
"""

from django.contrib import messages
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_POST

from .plugins import apply_profile, profiles


def _superuser(request):
    if not request.user.is_superuser:
        raise PermissionDenied


def plugin_panel(request):
    _superuser(request)
    found = profiles()
    names = {profile.label: profile.name for profile in found}
    rows = [
        {
            "profile": profile,
            "dependencies": [names.get(label, label) for label in profile.dependencies],
            "pending": [number for number, _step in profile.pending],
        }
        for profile in found
    ]
    return TemplateResponse(
        request,
        "gongjian/admin/plugins.html",
        {
            "rows": rows,
            "pending": any(row["pending"] or row["profile"].state == "new" for row in rows),
        },  # fmt: skip
    )


@require_POST
def run_upgrades(request):
    """Install new plugins and run every pending upgrade step, dependencies first."""
    _superuser(request)
    done = []
    try:
        for profile in profiles():
            if profile.state in ("new", "pending"):
                steps = apply_profile(profile)
                done.append(f"{profile.name}：{'，'.join(steps)}")
    except ImproperlyConfigured as exc:
        messages.error(request, str(exc))
    except Exception as exc:  # noqa: BLE001 - a failed step is reported, the site stays up
        messages.error(request, f"升级步骤失败，已停在最后一个成功的版本：{exc}")
    if done:
        messages.success(request, "已完成：" + "；".join(done))
    elif not messages.get_messages(request):
        messages.info(request, "所有插件都已是最新版本。")
    return redirect("plugin_panel")
