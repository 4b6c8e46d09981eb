"""Upload limits that Wagtail does not enforce itself."""

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from wagtail.documents.forms import BaseDocumentForm


class DocumentForm(BaseDocumentForm):
    """Wagtail limits image sizes but not documents; this refuses oversized documents."""

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        limit = settings.WAGTAILDOCS_MAX_UPLOAD_SIZE
        if upload is not None and limit and getattr(upload, "size", 0) > limit:
            raise forms.ValidationError(
                _("文件过大（%(size)s），文档大小上限为 %(limit)s。")
                % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)}
            )
        return upload
