"""Text typed by anonymous visitors: what the public forms take out before validating.

Control characters cannot be seen in a form or on a page, yet they break what reads
the text later: openpyxl refuses to write them (the staff Excel exports answered 500),
python-docx (lxml) refuses them, terminals obey ANSI escapes (``\\x1b[31m``) when an
administrator greps a log or a dump, and bidirectional overrides (U+202E) reorder what
a moderator reads on the board. None of them is ever part of a valid name, address or
description, so the public forms remove them, and then show the form again with the
cleaned text and a message saying so: nothing valid is lost, nothing changes silently.

``strip_control_characters`` is also what every export applies to what is already
stored (gongjian_site.spreadsheets), so a record stored before this check, or through
another way in, cannot break an export either.
"""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

#: An ANSI escape sequence, removed whole, so ``\x1b[31m红色`` becomes ``红色`` and not
#: ``[31m红色``: an operating-system command (ESC ] ... BEL or ESC \\, such as a
#: terminal title), a CSI sequence (ESC [ ... final byte), or ESC and one character.
ANSI_ESCAPE_RE = re.compile(
    r"\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b(?:\[[0-?]*[ -/]*[@-~]|[@-Z\\-_])"
)

#: What is removed: C0 controls except tab, line feed and carriage return; DEL and
#: the C1 controls; the bidirectional embeddings, overrides and isolates (the marks
#: U+200E/U+200F stay: they are legitimate in mixed-direction text); lone surrogates
#: and the noncharacters U+FFFE/U+FFFF, which no XML file (xlsx, docx) may contain.
CONTROL_CHARACTERS_RE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufffe\uffff]"
)


def strip_control_characters(text):
    """``text`` without ANSI escape sequences and the characters above."""
    if not text:
        return text
    return CONTROL_CHARACTERS_RE.sub("", ANSI_ESCAPE_RE.sub("", text))


def has_control_characters(text):
    return bool(text) and strip_control_characters(text) != text


class CleanTextFormMixin:
    """For a public form: removes control characters from every text field it binds.

    Runs on the bound data before any field is cleaned. A field whose text had any
    gets an error naming it, and the form shows the cleaned text, so the visitor sees
    what will be saved and sends it again with one click. Put it first among the bases
    (it must wrap ``full_clean``)."""

    control_characters_message = _(
        "“%(label)s”中含有不可见的控制字符，已为您删除，请核对后重新提交。"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.cleaned_control_characters = []
        if not self.is_bound:
            return
        data = self.data.copy()
        for name, field in self.fields.items():
            key = self.add_prefix(name)
            if not isinstance(field, forms.CharField) or key not in data:
                continue
            values = data.getlist(key) if hasattr(data, "getlist") else [data.get(key)]
            cleaned = [strip_control_characters(v) if isinstance(v, str) else v for v in values]
            if cleaned != values:
                self.cleaned_control_characters.append(name)
                if hasattr(data, "setlist"):
                    data.setlist(key, cleaned)
                else:
                    data[key] = cleaned[-1]
        self.data = data

    def full_clean(self):
        super().full_clean()
        for name in getattr(self, "cleaned_control_characters", ()):
            if name in self.fields:
                label = self.fields[name].label or name
                self.add_error(name, self.control_characters_message % {"label": label})
