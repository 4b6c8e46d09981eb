"""What other plugins may use of the organisation plugin besides its models.

The page types themselves are in ``plugins.orgs.models``; here are the names the
plugin's profile creates (groups, collections), the phone rules every form with a
contact number shares, the committee roles, and the demo account maker other demos
call. Everything else in the plugin (composition rules, panels, demo tree) is its own.
"""

from .composition import Role, is_current
from .setup import PUBLIC_COLLECTION, STAFF_GROUP
from .validators import MOBILE_RE, normalise_phone, validate_phone


def demo_user(username, last_name, first_name, superuser=False, role=""):
    """A demo account in the staff group (see ``plugins.orgs.demo.demo_user``).

    The demo module is read on the first call: it pulls in the page machinery, and
    models modules of other plugins import this API while Django is loading models."""
    from .demo import demo_user as make

    return make(username, last_name, first_name, superuser=superuser, role=role)


__all__ = [
    "MOBILE_RE",
    "PUBLIC_COLLECTION",
    "STAFF_GROUP",
    "Role",
    "demo_user",
    "is_current",
    "normalise_phone",
    "validate_phone",
]
