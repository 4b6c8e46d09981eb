"""Reading numbers from query strings and URLs: one parser for every view.

Why one helper: ``str.isdigit()`` accepts '²' and other characters that ``int()`` then
refuses, ``int()`` itself accepts '٥', ' 5 ' and '1_000', and a number past 2**63 - 1
cannot be sent to SQLite at all (OverflowError) even where PostgreSQL would simply find
nothing. A hand-edited or hostile link must never answer 500, so every view that takes
an id or a number from a visitor goes through ``parse_int`` / ``parse_id`` (or the form
field ``IdChoiceField``) and treats anything else as "no such value".
"""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

# The largest value every supported database can compare a key column with.
MAX_ID = 2**63 - 1
_ASCII_INTEGER = re.compile(r"-?[0-9]{1,19}")


def parse_int(value, default=None, *, minimum=None, maximum=None):
    """``value`` (a query-string or URL value) as an int, or ``default`` when it is not
    a plain ASCII integer inside ``minimum``..``maximum`` (both inclusive, optional)."""
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, str) and _ASCII_INTEGER.fullmatch(value):
        number = int(value)
    else:
        return default
    if minimum is not None and number < minimum:
        return default
    if maximum is not None and number > maximum:
        return default
    return number


def parse_id(value, default=None):
    """A database id (a positive integer any backend can look up), or ``default``."""
    return parse_int(value, default, minimum=1, maximum=MAX_ID)


def int_param(request, name, default=None, *, minimum=None, maximum=None):
    """The query parameter ``name`` of ``request`` as an int (see ``parse_int``)."""
    return parse_int(request.GET.get(name), default, minimum=minimum, maximum=maximum)


def id_param(request, name, default=None):
    """The query parameter ``name`` of ``request`` as a database id, or ``default``."""
    return parse_id(request.GET.get(name), default)


class IdChoiceField(forms.ModelChoiceField):
    """A ModelChoiceField that checks the submitted id before asking the database.

    Django's field hands any string to ``queryset.get(pk=...)``; on a multi-table page
    model the lookup goes through the parent link, which does not check the integer's
    range, so a 20-digit id reached SQLite and answered 500. Here anything that is not
    a valid id is the field's ordinary "invalid choice" error.
    """

    default_error_messages = {"invalid_choice": _("所选的值不存在或已失效。")}

    def to_python(self, value):
        if value in self.empty_values:
            return None
        by_id = self.to_field_name is None and not isinstance(value, self.queryset.model)
        if by_id and parse_id(str(value)) is None:
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            )
        return super().to_python(value)
