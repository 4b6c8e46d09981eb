"""Local roles, declared once, as data (Plone's Sharing roles).

A role is a named set of Wagtail page permission codenames. A grant of a role on a
page is stored as one django-guardian ``UserObjectPermission`` per codename on that
page, and, like Wagtail's group grants, covers the page's descendants.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class LocalRole:
    key: str
    label: str
    description: str
    codenames: frozenset

    def __str__(self):
        return str(self.label)


EDITOR = LocalRole(
    key="editor",
    label=_("编辑"),
    description=_("新建、修改页面并提交审核，不能发布"),
    codenames=frozenset({"add_page", "change_page"}),
)
REVIEWER = LocalRole(
    key="reviewer",
    label=_("审核"),
    # Wagtail publishes from the edit view, so a reviewer must be able to open it.
    description=_("审核并发布、撤回页面"),
    codenames=frozenset({"change_page", "publish_page", "unlock_page"}),
)
READER = LocalRole(
    key="reader",
    label=_("查看"),
    description=_("查看设为不公开的页面"),
    codenames=frozenset({"view_page"}),
)

ROLES = {role.key: role for role in (EDITOR, REVIEWER, READER)}
ROLE_CHOICES = [(role.key, role.label) for role in ROLES.values()]

#: Codenames that give rights in the admin (the Reader's view right is for the site).
ADMIN_CODENAMES = frozenset().union(*(r.codenames for r in ROLES.values())) - READER.codenames
ALL_CODENAMES = frozenset().union(*(r.codenames for r in ROLES.values()))


def roles_for_codenames(codenames):
    """The roles fully covered by ``codenames``, in declaration order."""
    held = set(codenames)
    return [role for role in ROLES.values() if role.codenames <= held]


#: How each page permission reads in the 我的单位 page.
CODENAME_LABELS = {
    "add_page": _("新建"),
    "change_page": _("修改"),
    "publish_page": _("发布"),
    "bulk_delete_page": _("批量删除"),
    "lock_page": _("锁定"),
    "unlock_page": _("解锁"),
    "view_page": _("查看"),
}
