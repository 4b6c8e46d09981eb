"""Validation of what the public registration forms accept.

The unified social credit code (统一社会信用代码) is checked by the algorithm of
GB 32100-2015 《法人和其他组织统一社会信用代码编码规则》; mobile numbers reuse the
orgs plugin's pattern, which the organisation pages already publish against.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from plugins.orgs.api import MOBILE_RE, normalise_phone

#: The 31 characters a credit code may use, in the order that gives each its value
#: (0-30): the digits, then the capital letters without I, O, Z, S and V, which are
#: left out because they read like 1, 0, 2, 5 and U.
CREDIT_CODE_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_CODE_VALUES = {char: value for value, char in enumerate(CREDIT_CODE_CHARSET)}
#: Weight of each of the first 17 positions: 3**(i-1) mod 31 (GB 32100-2015, 4.2).
CREDIT_CODE_WEIGHTS = tuple(pow(3, i, 31) for i in range(17))
CREDIT_CODE_LENGTH = 18


def normalise_credit_code(value):
    """Upper-case the code and drop the spaces people copy from a licence."""
    return re.sub(r"\s", "", value or "").upper()


def credit_code_check_char(first17):
    """The check character (position 18) for the first 17 characters of a credit code.

    GB 32100-2015: multiply the value of each of the 17 characters by its weight
    (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28), add them up,
    and take ``31 - (sum mod 31)``; a result of 31 is written as 0. The result is a
    value in 0..30, written with the same 31-character set.

    Raises ``KeyError`` for a character outside the set and ``ValueError`` when not
    given exactly 17 characters.
    """
    if len(first17) != CREDIT_CODE_LENGTH - 1:
        raise ValueError("a credit code's check character needs exactly 17 characters")
    total = sum(
        CREDIT_CODE_VALUES[char] * weight
        for char, weight in zip(first17, CREDIT_CODE_WEIGHTS, strict=True)
    )
    return CREDIT_CODE_CHARSET[(31 - total % 31) % 31]


def credit_code_error(value):
    """Why ``value`` is not a valid credit code (a Chinese sentence), or None if it is."""
    code = normalise_credit_code(value)
    if len(code) != CREDIT_CODE_LENGTH:
        return _("统一社会信用代码应为18位，您填写了%(count)d位。") % {"count": len(code)}
    bad = sorted({char for char in code if char not in CREDIT_CODE_VALUES})
    if bad:
        return _(
            "统一社会信用代码只能包含数字和大写字母（不含 I、O、Z、S、V），不能包含“%(chars)s”。"
        ) % {"chars": "、".join(bad)}
    # Positions 3-8 are the registering authority's administrative division code.
    if not code[2:8].isdigit():
        return _("统一社会信用代码第3至8位是登记管理机关的行政区划码，应为数字。")
    if credit_code_check_char(code[:17]) != code[17]:
        return _("统一社会信用代码校验位不正确，请对照营业执照或登记证书核对。")
    return None


def validate_credit_code(value):
    """Accept an 18-character unified social credit code whose check character is right."""
    error = credit_code_error(value)
    if error:
        raise ValidationError(error, code="invalid_credit_code")


def validate_mobile(value):
    """Accept a mainland mobile number (11 digits from 13 to 19, optional +86)."""
    if not MOBILE_RE.match(normalise_phone(value)):
        raise ValidationError(
            _("“%(value)s”不是有效的手机号码，请填写11位手机号（如 138 1234 5678）。"),
            code="invalid_mobile",
            params={"value": value},
        )
