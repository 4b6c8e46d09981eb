"""Upload checks that Wagtail does not make itself."""

import io

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from PIL import Image as PILImage
from wagtail.documents.forms import BaseDocumentForm
from wagtail.images.fields import WagtailImageField
from wagtail.images.forms import BaseImageForm


def preselect_own_collection(form, user):
    """A new upload's collection defaults to the uploader's own (uploads.py)."""
    from .uploads import default_upload_collection

    field = form.fields.get("collection")
    if field is None or form.instance.pk or form.is_bound:
        return
    default = default_upload_collection(user, form.collections)
    if default is not None:
        field.initial = default.pk


class DocumentForm(BaseDocumentForm):
    """Wagtail limits image sizes but not documents; this refuses oversized documents."""

    def __init__(self, *args, **kwargs):
        user = kwargs.get("user")
        super().__init__(*args, **kwargs)
        preselect_own_collection(self, user)

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        limit = settings.WAGTAILDOCS_MAX_UPLOAD_SIZE
        if upload is not None and limit and getattr(upload, "size", 0) > limit:
            raise forms.ValidationError(
                _("文件过大（%(size)s），文档大小上限为 %(limit)s。")
                % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)}
            )
        return upload


# What follows the last byte an image format defines: PNG's IEND chunk, GIF's trailer.
IMAGE_ENDS = {"PNG": b"IEND\xae\x42\x60\x82", "GIF": b"\x3b"}


class CheckedImageField(WagtailImageField):
    """Wagtail's image upload field, refusing images that cannot be decoded to the end
    and PNG/GIF files carrying anything after their last image byte.

    Wagtail checks an upload's header, then decodes it for its size: a truncated PNG
    raised OSError there (a 500); a GIF/JS polyglot (a valid GIF followed by script)
    was stored and served from this origin. Both are now a Chinese form error. Decoding
    is bounded by WAGTAILIMAGES_MAX_IMAGE_PIXELS (Pillow's decompression-bomb check).
    """

    default_error_messages = {
        "broken_image": _("图片文件已损坏、不完整或含有图片以外的内容，请重新导出后上传。")
    }

    def to_python(self, data):
        try:
            upload = super().to_python(data)
            if upload is not None and hasattr(upload, "read"):
                self.check_whole_image(upload)
        except (
            OSError,
            ValueError,
            SyntaxError,
            EOFError,
            PILImage.DecompressionBombError,
        ) as error:
            raise forms.ValidationError(
                self.error_messages["broken_image"], code="broken_image"
            ) from error
        return upload

    def check_whole_image(self, upload):
        upload.seek(0)
        data = upload.read()
        upload.seek(0)
        with PILImage.open(io.BytesIO(data)) as image:
            image_format = image.format
            image.load()  # decodes every byte of the (first) frame
        end = IMAGE_ENDS.get(image_format)
        if end is not None and not data.rstrip(b"\x00").endswith(end):
            raise ValueError("data after the end of the image")


class ImageForm(BaseImageForm):
    """Wagtail's image form with ``CheckedImageField`` for the file."""

    def __init__(self, *args, **kwargs):
        user = kwargs.get("user")
        super().__init__(*args, **kwargs)
        preselect_own_collection(self, user)
        # Built per form, as Wagtail builds its own, so the size limits are read now.
        field = self.fields.get("file")
        if field is not None and not isinstance(field, CheckedImageField):
            checked = CheckedImageField(label=field.label, required=field.required)
            checked.widget = field.widget
            self.fields["file"] = checked
