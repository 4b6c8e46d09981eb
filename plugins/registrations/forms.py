"""The public forms. Each says in Chinese what is wrong and keeps what was right."""

from django import forms
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from gongjian_site.textinput import CleanTextFormMixin
from plugins.orgs.api import normalise_phone, validate_phone

from .models import MemberCheckIn, UnitCheckIn, UnitSurvey
from .validators import normalise_credit_code, validate_credit_code, validate_mobile

#: The honeypot: hidden from people by CSS and from screen readers, filled by bots.
HONEYPOT_FIELD = "website"
#: The longest text a free-text field (resources, intentions) takes; the tables are
#: printed, and a megabyte of text in one cell helps no moderator.
TEXT_LIMIT = 2000


class PublicForm(CleanTextFormMixin, forms.ModelForm):
    """Required-field messages that name the field, a length limit on every text field,
    no control characters (CleanTextFormMixin), and a honeypot."""

    website = forms.CharField(
        label=_("网址（请勿填写）"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            verb = _("请选择") if isinstance(field, forms.ChoiceField) else _("请填写")
            field.error_messages["required"] = f"{verb}{field.label}。"
            if isinstance(field, forms.CharField):
                if field.max_length is None:
                    field.max_length = TEXT_LIMIT
                    field.validators.append(MaxLengthValidator(TEXT_LIMIT))
                    field.widget.attrs["maxlength"] = str(TEXT_LIMIT)
                field.error_messages["max_length"] = _(
                    "%(label)s最多 %(limit)d 个字，您填写了 %%(show_value)d 个。"
                ) % {"label": field.label, "limit": field.max_length}
            if isinstance(field, forms.IntegerField):
                field.error_messages["invalid"] = _("请填写一个整数，如 25。")
                field.error_messages["min_value"] = _("%(label)s不能小于 0。") % {
                    "label": field.label
                }
            if isinstance(field, forms.ChoiceField):
                choices = [c for c in field.choices if c[0] != ""]
                field.choices = [("", _("请选择")), *choices]

    def is_spam(self):
        """True when the honeypot was filled (checked before saving, after binding)."""
        return bool(self.data.get(HONEYPOT_FIELD, "").strip())


class UnitFormMixin:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Codes are copied from licences with spaces; the length is checked after
        # normalising, with a message that counts the 18 characters.
        field = self.fields["credit_code"]
        field.max_length = 40
        field.validators = [v for v in field.validators if not isinstance(v, MaxLengthValidator)]
        field.widget.attrs.update(maxlength="40", autocapitalize="characters")

    def clean_credit_code(self):
        code = normalise_credit_code(self.cleaned_data["credit_code"])
        validate_credit_code(code)
        return code


def _clean_phone(value):
    validate_phone(value)
    return normalise_phone(value)


class UnitSurveyForm(UnitFormMixin, PublicForm):
    class Meta:
        model = UnitSurvey
        fields = ["unit_name", "credit_code", "kind", "address", "party_organisation",
                  "secretary_name", "party_member_count", "contact_name", "contact_phone",
                  "resources"]  # fmt: skip
        widgets = {"resources": forms.Textarea(attrs={"rows": 4})}

    def clean_contact_phone(self):
        return _clean_phone(self.cleaned_data["contact_phone"])


class UnitCheckInForm(UnitFormMixin, PublicForm):
    class Meta:
        model = UnitCheckIn
        fields = ["unit_name", "credit_code", "party_organisation", "org_type",
                  "secretary_name", "party_member_count", "liaison_name", "liaison_phone",
                  "intentions"]  # fmt: skip
        widgets = {"intentions": forms.Textarea(attrs={"rows": 4})}

    def clean_liaison_phone(self):
        return _clean_phone(self.cleaned_data["liaison_phone"])


class MemberCheckInForm(PublicForm):
    class Meta:
        model = MemberCheckIn
        fields = ["name", "party_organisation", "workplace", "service_post", "mobile",
                  "home_address"]  # fmt: skip

    def clean_mobile(self):
        value = self.cleaned_data["mobile"]
        validate_mobile(value)
        return normalise_phone(value)
