"""INSTALLED_PLUGINS: a plugin may be left out, and one that needs it is refused.

Each case starts Django afresh in a subprocess (INSTALLED_APPS is fixed once Django has
started), with the environment variable the settings read.
"""

import os
import subprocess
import sys
import textwrap
from pathlib import Path

from gongjian_site.settings.base import AVAILABLE_PLUGINS

ROOT = Path(__file__).resolve().parents[2]

# Run in the subprocess: a fresh database, a city at the site's root, and what a
# visitor and a superuser see of it.
PROBE = textwrap.dedent(
    """
    import json
    import django
    from django.conf import settings

    django.setup()
    from django.apps import apps
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.test import Client
    from django.urls import NoReverseMatch, reverse
    from wagtail import hooks
    from wagtail.models import Page, Site

    from plugins.orgs.models import CityPage

    call_command("migrate", verbosity=0)
    root = Page.get_first_root_node()
    city = root.add_child(instance=CityPage(title="江安市", slug="jiangan"))
    Site.objects.update(root_page=city)
    client = Client()
    home = client.get("/")
    admin = get_user_model().objects.create_superuser("root", "root@example.invalid", "x")
    client.force_login(admin)
    menu = client.get("/admin/").content.decode()
    def reverses(name, *args):
        try:
            return bool(reverse(name, args=args))
        except NoReverseMatch:
            return False
    print(json.dumps({
        "apps": [config.label for config in apps.get_app_configs()],
        "home": home.status_code,
        "home_has_city": "江安市" in home.content.decode(),
        "admin": 200 if "考核评价" not in menu else "evaluation menu shown",
        "baodao": client.get("/baodao/").status_code,
        "evaluation_url": reverses("evaluation:statistics"),
        "board_url": reverses("cobuilding_public:board", "xingfuli"),
        "metric_hooks": [fn.__module__ for fn in hooks.get_hooks("register_evaluation_metrics")],
    }))
    """
)


def run(plugins, *args, tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "gongjian_site.settings.test",
        "INSTALLED_PLUGINS": ",".join(plugins),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'site.sqlite3'}",
    }
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=900
    )


def test_a_site_without_evaluation_registrations_and_the_bin_starts_and_serves(tmp_path):
    import json

    # Three plugins no other plugin depends on (the bin is optional for all of them).
    left_out = ("evaluation", "registrations", "recyclebin")
    plugins = [p for p in AVAILABLE_PLUGINS if p not in left_out]
    check = run(plugins, "manage.py", "check", tmp_path=tmp_path)
    assert check.returncode == 0, check.stderr
    probe = run(plugins, "-c", PROBE, tmp_path=tmp_path)
    assert probe.returncode == 0, probe.stderr[-3000:]
    found = json.loads(probe.stdout.strip().splitlines()[-1])
    assert not set(left_out) & set(found["apps"])
    assert "meetings" in found["apps"] and "cobuilding" in found["apps"]
    assert found["home"] == 200 and found["home_has_city"]
    assert found["admin"] == 200  # the admin renders, without the 考核评价 menu
    # Their URLs and hooks went with them; the plugins that offered them hooks stay.
    assert found["baodao"] == 404 and found["evaluation_url"] is False
    assert found["board_url"] is True
    assert "plugins.registrations.wagtail_hooks" not in found["metric_hooks"]
    assert "plugins.cobuilding.wagtail_hooks" in found["metric_hooks"]


def test_a_plugin_whose_dependency_is_left_out_is_refused(tmp_path):
    plugins = [p for p in AVAILABLE_PLUGINS if p != "activities"]
    check = run(plugins, "manage.py", "check", tmp_path=tmp_path)
    assert check.returncode != 0
    message = check.stderr.strip().splitlines()[-1]
    assert message.startswith("django.core.exceptions.ImproperlyConfigured: ")
    # Every plugin that needs it is named, with the left-out one, in both languages.
    assert "插件“考核评价”(evaluation) 依赖 “活动记录”(activities)" in message
    assert "Plugin 'evaluation' depends on 'activities'" in message
    assert "请把 activities 加入 INSTALLED_PLUGINS，或把 evaluation 也去掉" in message


def test_an_unknown_plugin_is_refused(tmp_path):
    check = run([*AVAILABLE_PLUGINS, "nonesuch"], "manage.py", "check", tmp_path=tmp_path)
    assert check.returncode != 0
    assert "INSTALLED_PLUGINS names unknown plugins ['nonesuch']" in check.stderr
