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

from django.urls import reverse

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


def removal_url(appointment):
    """The admin URL of 免职 for ``appointment`` (or its pk); the URL's name is access's
    own (its appointment admin's ``remove`` action) and may change with it."""
    return reverse(
        "access_appointment_modeladmin_remove", args=[getattr(appointment, "pk", appointment)]
    )


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
    "removal_url",
    "reviewers_of",
    "revoke_role",
    "scope_of",
]
