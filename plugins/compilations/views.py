"""Admin views: pull recommended cases into a compilation; download its exports."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .exporting import EXPORTERS, ExportError, download_response
from .models import CompilationChapterPage, CompilationPage
from .pulling import DEFAULT_CHAPTER, candidate_cases, pull_cases


class PullCasesForm(forms.Form):
    cases = forms.ModelMultipleChoiceField(
        label=_("推荐案例"), queryset=None, widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("请至少选择一篇案例。")},
    )  # fmt: skip
    chapter = forms.ModelChoiceField(
        label=_("放入章节"), queryset=None, required=False,
        empty_label=_("（新建章节）"),
    )  # fmt: skip
    new_chapter_title = forms.CharField(
        label=_("新章节标题"), required=False, initial=DEFAULT_CHAPTER, max_length=255
    )

    def __init__(self, compilation, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cases"].queryset = candidate_cases(compilation)
        self.fields["chapter"].queryset = CompilationChapterPage.objects.child_of(
            compilation
        ).order_by("path")

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("chapter") and not (cleaned.get("new_chapter_title") or "").strip():
            self.add_error("new_chapter_title", _("请选择章节或填写新章节标题。"))
        return cleaned


def _compilation_for(request, page_id):
    compilation = get_object_or_404(CompilationPage, pk=page_id)
    permissions = compilation.permissions_for_user(request.user)
    return compilation, permissions


def pull_cases_view(request, page_id):
    compilation, permissions = _compilation_for(request, page_id)
    if not permissions.can_add_subpage():
        raise PermissionDenied
    form = PullCasesForm(compilation, request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        # Keep the editor's order: newest case first, as listed.
        chosen = [case for case in form.fields["cases"].queryset if case in data["cases"]]
        made = pull_cases(
            compilation, chosen, chapter=data["chapter"],
            new_chapter_title=data["new_chapter_title"].strip() or DEFAULT_CHAPTER,
        )  # fmt: skip
        messages.success(request, f"已将 {len(made)} 篇案例收入《{compilation.title}》。")
        return redirect("wagtailadmin_explore", compilation.pk)
    return TemplateResponse(
        request,
        "compilations/admin/pull_cases.html",
        {"compilation": compilation, "form": form, "page_title": _("收入推荐案例")},
    )


def export_view(request, page_id, fmt):
    """Download the compilation as it stands, drafts included (editors check before
    publishing); the public route offers only the published version."""
    compilation, permissions = _compilation_for(request, page_id)
    if fmt not in EXPORTERS:
        raise Http404
    if not (permissions.can_edit() or compilation.live):
        raise PermissionDenied
    try:
        return download_response(compilation, fmt, live_only=False)
    except ExportError as exc:
        messages.error(request, str(exc))
        return redirect(reverse("wagtailadmin_explore", args=[compilation.pk]))
