"""How a person is named to users: Chinese order, family name first (陈晓梅)."""

from django.utils.translation import gettext as _


def display_name(user):
    if user is None:
        return _("自动检查")
    name = f"{user.last_name}{user.first_name}".strip()
    return name or user.get_username()
