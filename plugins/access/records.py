"""A page-policy shortcut, kept for the plugins that import it.

Records' permissions are no longer decided here: each record model has its own policy
(``record_policy``, registered with Wagtail's policy registry) and its admin asks it
(``record_admin``). What remains is a question about pages.
"""

from wagtail.models import Page
from wagtail.permissions import policy_registry


def editable_pages(user, actions=("change",)):
    """Pages ``user`` may act on, as a queryset usable in a subquery."""
    return policy_registry.get_by_type(Page).instances_user_has_any_permission_for(
        user, set(actions)
    )
