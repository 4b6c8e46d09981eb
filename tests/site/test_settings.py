"""Settings: environment variables read in one place, production refuses unsafe starts."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from gongjian_site.plugins import installed_plugins

ROOT = Path(__file__).resolve().parents[2]
STRONG_KEY = "x7$kq!2mZ-gongjian-production-key-9f3a1c5e7b2d4f6a8c0e1b3d5f7a9c1e"


def manage(*args, settings_module="gongjian_site.settings.production", **env):
    clean = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG"}}
    clean.update(DJANGO_SETTINGS_MODULE=settings_module, **env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = manage("check")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_refuses_debug():
    result = manage("check", SECRET_KEY=STRONG_KEY, DEBUG="true")
    assert result.returncode != 0
    assert "DEBUG must be off" in result.stderr


def test_check_deploy_is_clean_with_the_required_variables():
    result = manage("check", "--deploy", SECRET_KEY=STRONG_KEY, ALLOWED_HOSTS="gongjian.example.cn")
    assert result.returncode == 0, result.stderr
    assert "WARNINGS" not in result.stderr + result.stdout
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_dev_settings_need_no_environment():
    result = manage("check", settings_module="gongjian_site.settings.dev")
    assert result.returncode == 0, result.stderr


def test_bad_values_get_a_clear_message():
    result = manage("check", settings_module="gongjian_site.settings.dev", SEARCH_BACKEND="solr")
    assert result.returncode != 0 and "SEARCH_BACKEND must be" in result.stderr
    result = manage("check", settings_module="gongjian_site.settings.dev", DEBUG="perhaps")
    assert result.returncode != 0 and "DEBUG must be true or false" in result.stderr


def test_locale_and_zone():
    assert settings.LANGUAGE_CODE == "zh-hans"
    assert settings.TIME_ZONE == "Asia/Shanghai"


def test_plugins_set_up_after_their_dependencies():
    labels = [config.label for config in installed_plugins()]
    assert "orgs" in labels
    for position, config in enumerate(installed_plugins()):
        for dependency in getattr(config, "dependencies", ()):
            assert labels.index(dependency) < position


def test_a_missing_plugin_dependency_is_reported(monkeypatch):
    from django.apps import apps

    orgs = apps.get_app_config("orgs")
    monkeypatch.setattr(orgs, "dependencies", ("nonexistent",), raising=False)
    with pytest.raises(ImproperlyConfigured, match="depends on .nonexistent."):
        installed_plugins()
