"""姓名: how a person's name is written, in one place.

Django's ``get_full_name()`` is "given family" with a space, the Western order; a Chinese
name is family name first with no space (王建国, not 建国 王). Wagtail's admin, our
templates, exports, mails and letters all ask the user object for its full name, so the
one rule is installed on Django's user class (``install()``, called from the project's
AppConfig.ready) instead of being repeated at each place a name is shown.
"""

import re

from django.contrib.auth.models import AbstractUser

# CJK ideographs (with extension A and compatibility forms) and the middle dot of
# transcribed names (阿卜杜·热合曼).
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff·]")


def person_name(given, family):
    """The display name from a given and a family name.

    Chinese (either part written in Chinese characters): family name first, no space;
    otherwise the Western order with a space. Blank parts are left out.
    """
    given = (given or "").strip()
    family = (family or "").strip()
    if _CJK.search(given + family):
        return f"{family}{given}"
    return " ".join(part for part in (given, family) if part)


def full_name(user):
    """The user's display name: their 姓名, else their username."""
    return person_name(user.first_name, user.last_name) or user.get_username()


def _get_full_name(self):
    return person_name(self.first_name, self.last_name)


def install():
    """Make ``get_full_name()`` of every user follow :func:`person_name`."""
    AbstractUser.get_full_name = _get_full_name
