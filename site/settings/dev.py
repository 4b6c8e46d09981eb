"""Local development: the embedded default (SQLite, database search), debug on."""

from .base import *  # noqa: F403
from .base import env_bool

DEBUG = env_bool("DEBUG", True)
# A fixed key is fine on a developer's machine; production refuses to start without its own.
SECRET_KEY = SECRET_KEY or "django-insecure-gongjian-dev-only-never-use-in-production"  # noqa: F405
