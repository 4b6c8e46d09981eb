"""What other plugins may use of the access plugin besides its models.

Local roles (``EDITOR``, ``REVIEWER``, ``READER``) and granting them, who reviews a
page, the units a user is appointed to act for. The page permission policy, the media
privacy and the Sharing view are the plugin's own and reach other plugins through
Wagtail (its permission policy registry and hooks), never by import.
"""

from .grants import grant_role, reviewers_of, revoke_role
from .policy import appointed_unit_ids
from .roles import EDITOR, READER, REVIEWER

__all__ = [
    "EDITOR",
    "READER",
    "REVIEWER",
    "appointed_unit_ids",
    "grant_role",
    "reviewers_of",
    "revoke_role",
]
