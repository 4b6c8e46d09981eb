"""设置 › 文书模板: download, replace and restore the Word templates of official documents.

Superusers see every document; an office sees the documents it owns (``can_manage`` of
each TemplateKind: the 共建清单管理员 the agreement, the 考核评价管理 group the feedback
letter, district publicity editors the compilation cover). A refused upload keeps the
template in use and says why, in Chinese, naming the placeholders at fault.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from . import doctemplates
from .models import DocumentTemplate


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("新模板（.docx）"),
        error_messages={"required": gettext_lazy("请选择要上传的 .docx 文件。")},
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".docx"):
            raise forms.ValidationError(
                _("只接受 Word 的 .docx 文件（.doc 请先在 Word 或 WPS 中另存为 .docx）。")
            )
        if upload.size > doctemplates.MAX_BYTES:
            raise forms.ValidationError(
                _("模板文件超过 %(mb)d MB 的上限。") % {"mb": doctemplates.MAX_BYTES // 2**20}
            )
        return upload


def manageable_kinds(user):
    return [
        kind for kind in doctemplates.kinds().values() if doctemplates.user_can_manage(user, kind)
    ]


def user_manages_any(user):
    """Whether 文书模板 is in the user's 设置 menu."""
    return bool(manageable_kinds(user))


def _kind(request, key):
    kind = doctemplates.kinds().get(key)
    if kind is None:
        raise Http404
    if not doctemplates.user_can_manage(request.user, kind):
        raise PermissionDenied
    return kind


def index(request):
    kinds = manageable_kinds(request.user)
    if not kinds:
        raise PermissionDenied
    stored = {
        row.key: row
        for row in DocumentTemplate.objects.filter(key__in=[kind.key for kind in kinds])
        .select_related("uploaded_by")
        .defer("data")
    }
    rows = [
        {
            "kind": kind,
            "stored": stored.get(kind.key),
            "placeholders": sorted(kind.placeholders.items()),
            "form": UploadForm(auto_id=f"id_{kind.key.replace('.', '_')}_%s"),
        }
        for kind in kinds
    ]
    return TemplateResponse(request, "gongjian/admin/doc_templates.html", {"rows": rows})


def download(request, key):
    """The template in use (the replacement, else the shipped default)."""
    kind = _kind(request, key)
    response = HttpResponse(doctemplates.current_bytes(kind), content_type=doctemplates.DOCX_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, f"{kind.label}模板.docx")
    return response


def download_default(request, key):
    kind = _kind(request, key)
    response = HttpResponse(kind.default_bytes(), content_type=doctemplates.DOCX_TYPE)
    name = f"{kind.label}模板（默认）.docx"
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response


@require_POST
def upload(request, key):
    kind = _kind(request, key)
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        for error in form.errors.get("file", []):
            messages.error(request, f"{kind.label}：{error}")
        return redirect("doc_templates")
    upload_file = form.cleaned_data["file"]
    try:
        doctemplates.save(kind, upload_file.read(), request.user, upload_file.name)
    except doctemplates.TemplateError as exc:
        messages.error(
            request,
            _("%(label)s的模板未更换，仍使用原模板：%(reasons)s")
            % {"label": kind.label, "reasons": "；".join(exc.messages)},
        )
        return redirect("doc_templates")
    messages.success(request, _("已更换%(label)s的模板。") % {"label": kind.label})
    return redirect("doc_templates")


@require_POST
def restore(request, key):
    kind = _kind(request, key)
    doctemplates.restore_default(kind)
    messages.success(request, _("%(label)s已恢复为默认模板。") % {"label": kind.label})
    return redirect("doc_templates")
