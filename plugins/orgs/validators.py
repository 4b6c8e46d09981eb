"""Validation of the contact data an organisation page publishes."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Mainland mobile numbers: 11 digits starting 13-19, optionally written with +86.
MOBILE_RE = re.compile(r"^(?:\+?86)?1[3-9]\d{9}$")
# Landlines need the area code (010, 021, 0571 ...) so residents outside the city
# can dial them; 7 or 8 digit subscriber number, optional extension after 转/-/ext.
LANDLINE_RE = re.compile(r"^(?:\+?86)?0\d{2,3}[2-9]\d{6,7}(?:(?:转|ext|x|#)\d{1,6})?$")
SEPARATORS_RE = re.compile(r"[\s\-()（）]")


def normalise_phone(value):
    """Strip the spaces, hyphens and brackets people type between digit groups."""
    return SEPARATORS_RE.sub("", value or "")


def validate_phone(value):
    """Accept a Chinese mobile number or a landline with its area code."""
    compact = normalise_phone(value)
    if MOBILE_RE.match(compact) or LANDLINE_RE.match(compact):
        return
    raise ValidationError(
        _(
            "“%(value)s”不是有效的联系电话。请填写11位手机号（如 138 1234 5678）"
            "或带区号的座机号（如 010-6512 3456、0571-8765 4321 转 801）。"
        ),
        code="invalid_phone",
        params={"value": value},
    )
