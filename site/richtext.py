"""Rich text bodies that are not the editor's JSON get a form error, not a 500.

Draftail posts its content as JSON (contentstate) and Wagtail's widget converts it with
``json.loads`` while Django reads the form data, before any validation: a body that is
not JSON (a script posting HTML, a truncated request) raised JSONDecodeError, a 500 on
every admin form with rich text (``/admin/evaluation/annualreport/create/`` among
them). ``RichTextArea`` (the default editor, WAGTAILADMIN_RICH_TEXT_EDITORS) hands such
input on as ``UnreadableRichText``; ``RichTextFormField``, the form field every
RichTextField gets in Wagtail's admin forms (registered in apps.py), refuses it with a
Chinese error. The other fields of the form keep what was typed.
"""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.rich_text import DraftailRichTextArea


class UnreadableRichText(str):
    """What the browser sent instead of the editor's JSON (kept out of the database)."""


class RichTextArea(DraftailRichTextArea):
    def value_from_datadict(self, data, files, name):
        try:
            return super().value_from_datadict(data, files, name)
        except (ValueError, TypeError, KeyError, AttributeError):
            # Not contentstate: JSONDecodeError is a ValueError; valid JSON of the
            # wrong shape fails inside the converter with the others.
            return UnreadableRichText("")

    def format_value(self, value):
        if isinstance(value, UnreadableRichText):
            value = ""
        return super().format_value(value)


class RichTextFormField(forms.CharField):
    default_error_messages = {
        "unreadable": _("正文内容无法识别（不是编辑器提交的格式），请在编辑器中重新输入后保存。")
    }

    def to_python(self, value):
        if isinstance(value, UnreadableRichText):
            raise forms.ValidationError(self.error_messages["unreadable"], code="unreadable")
        return super().to_python(value)
