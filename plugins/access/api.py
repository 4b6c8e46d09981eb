"""What other plugins may use of the access plugin besides its models.

* Local roles (``EDITOR``, ``REVIEWER``, ``READER``), granting them, who reviews a page
  and the units a user is appointed to act for.
* Record permissions: a plugin describes who may do what with its records as a
  ``RecordPermissionPolicy`` (``Reach``es into the organisation tree, ``ACT_FOR`` and
  ``OWN``), registers it with ``register_record_policies``, shows the records with a
  ``RecordAdmin`` (its own actions as ``RecordAction``s) and asks ``record_policy(model)``
  or a user's ``scope_of(user)`` elsewhere.

The page permission policy, the media privacy and the Sharing view are the plugin's own
and reach other plugins through Wagtail (its permission policy registry and hooks).
"""

from .grants import grant_role, reviewers_of, revoke_role
from .policy import appointed_unit_ids
from .record_admin import RecordAction, RecordAdmin
from .record_policy import (
    ACT_FOR,
    OWN,
    Reach,
    RecordPermissionPolicy,
    record_policy,
    register_record_policies,
    scope_of,
)
from .roles import EDITOR, READER, REVIEWER

__all__ = [
    "ACT_FOR",
    "EDITOR",
    "OWN",
    "READER",
    "REVIEWER",
    "Reach",
    "RecordAction",
    "RecordAdmin",
    "RecordPermissionPolicy",
    "appointed_unit_ids",
    "grant_role",
    "record_policy",
    "register_record_policies",
    "reviewers_of",
    "revoke_role",
    "scope_of",
]
