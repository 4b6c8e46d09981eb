"""The credit-code check character (GB 32100-2015) and the mobile number check."""

import pytest
from django.core.exceptions import ValidationError

from plugins.registrations.validators import (
    CREDIT_CODE_WEIGHTS,
    credit_code_check_char,
    credit_code_error,
    validate_credit_code,
    validate_mobile,
)

# Codes printed on real, published business licences (national enterprise credit
# publicity system): 腾讯, 华为, 小米, 百度, 阿里巴巴.
REAL_CODES = [
    "91440300708461136T",  # 深圳市腾讯计算机系统有限公司
    "914403001922038216",  # 华为技术有限公司
    "91110108551385082Q",  # 小米科技有限责任公司
    "91110000802100433B",  # 北京百度网讯科技有限公司
    "91330100716105852F",  # 阿里巴巴（中国）有限公司
]


def test_weights_are_the_standards():
    assert CREDIT_CODE_WEIGHTS == (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


@pytest.mark.parametrize("code", REAL_CODES)
def test_real_codes_are_valid(code):
    assert credit_code_check_char(code[:17]) == code[17]
    validate_credit_code(code)


@pytest.mark.parametrize("code", REAL_CODES)
def test_lower_case_and_spaces_are_tolerated(code):
    validate_credit_code(" " + code.lower()[:9] + " " + code.lower()[9:])


@pytest.mark.parametrize("code", REAL_CODES)
def test_every_wrong_check_character_is_refused(code):
    for char in "0123456789ABCDEFGHJKLMNPQRTUWXY":
        if char != code[17]:
            with pytest.raises(ValidationError, match="校验位不正确"):
                validate_credit_code(code[:17] + char)


@pytest.mark.parametrize("code", REAL_CODES)
def test_one_changed_character_is_caught(code):
    # A mistyped digit in any of the 17 positions changes the weighted sum mod 31.
    for position in range(2, 17):
        original = code[position]
        replacement = "7" if original != "7" else "3"
        mutated = code[:position] + replacement + code[position + 1 :]
        assert credit_code_error(mutated) is not None, mutated


def test_swapped_neighbours_are_caught():
    code = REAL_CODES[0]
    swapped = code[:10] + code[11] + code[10] + code[12:]
    assert swapped != code
    assert "校验位" in str(credit_code_error(swapped))


@pytest.mark.parametrize(
    "value, message",
    [
        ("9144030070846113", "应为18位，您填写了16位"),
        ("91440300708461136T1", "应为18位，您填写了19位"),
        ("91440300708461136I", "不能包含“I”"),
        ("9144030070846113OS", "不能包含“O、S”"),
        ("91AB0300708461136T", "行政区划码"),
        ("", "应为18位，您填写了0位"),
    ],
)
def test_malformed_codes_say_why(value, message):
    with pytest.raises(ValidationError) as caught:
        validate_credit_code(value)
    assert message in caught.value.messages[0]


def test_check_character_needs_17():
    with pytest.raises(ValueError):
        credit_code_check_char("123")


@pytest.mark.parametrize("value", ["13812345678", "138 1234 5678", "+86 199-0000-1001"])
def test_mobiles(value):
    validate_mobile(value)


@pytest.mark.parametrize("value", ["12812345678", "1381234567", "010-65123456", "手机"])
def test_not_mobiles(value):
    with pytest.raises(ValidationError, match="不是有效的手机号码"):
        validate_mobile(value)


def test_rate_limit_reads_the_proxys_address_only_behind_the_proxy(rf, settings):
    from plugins.registrations.spam import client_address

    request = rf.post("/", REMOTE_ADDR="10.0.0.9", HTTP_X_FORWARDED_FOR="1.2.3.4, 5.6.7.8")
    settings.BEHIND_TLS_PROXY = False
    assert client_address(request) == "10.0.0.9"
    settings.BEHIND_TLS_PROXY = True
    # The last entry is the one the proxy appended; earlier ones are the client's word.
    assert client_address(request) == "5.6.7.8"
