"""从Excel导入 and 下载模板 for every registered ledger (see ``ledgers.py``).

The upload page is reached from the record list's header (``ledger_buttons`` in
``ledger_tags``); its permission is the ledger's: someone with no community to import
into gets 403, as does anyone for the template of a list they cannot import into.
"""

from io import BytesIO

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .ledgers import registered_ledgers, run_import
from .spreadsheets import safe_cell
from .xlsx_import import MAX_ROWS, MAX_UPLOAD_BYTES

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: Rows of the report shown on the page (the counts above it cover every row).
REPORT_ROWS_SHOWN = 2000


class UploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Excel 文件（.xlsx）"))
    community = forms.ModelChoiceField(
        label=gettext_lazy("默认社区"),
        queryset=None,
        required=False,
        help_text=gettext_lazy("表中没有“社区”列或该列为空的行，导入到这个社区"),
    )
    dry_run = forms.BooleanField(label=gettext_lazy("只检查，不保存"), required=False)

    def __init__(self, *args, communities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = communities
        only = list(communities[:2])
        if len(only) == 1:
            self.fields["community"].initial = only[0].pk

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("文件超过 %(mb)d MB，请分批导入。") % {"mb": MAX_UPLOAD_BYTES // (1024 * 1024)}
            )
        return upload


def _ledger(request, key):
    ledger = registered_ledgers().get(key)
    if ledger is None:
        raise Http404
    if not ledger.can_import(request.user):
        raise PermissionDenied
    return ledger


def import_view(request, key):
    ledger = _ledger(request, key)
    communities = ledger.communities(request.user).order_by("path")
    form = UploadForm(request.POST or None, request.FILES or None, communities=communities)
    report = None
    if request.method == "POST" and form.is_valid():
        report = run_import(
            ledger,
            request.user,
            form.cleaned_data["file"].read(MAX_UPLOAD_BYTES + 1),
            default_community=form.cleaned_data["community"],
            dry_run=form.cleaned_data["dry_run"],
        )
    shown = report_rows(report) if report else []
    admin = ledger.admin()
    return TemplateResponse(
        request,
        "gongjian/admin/ledger_import.html",
        {
            "ledger": ledger,
            "form": form,
            "report": report,
            "rows": shown,
            "rows_hidden": len(report.results) - len(shown) if report else 0,
            "columns": [(ledger.header(c), c) for c in ledger.columns],
            "list_url": admin.url_helper.index_url,
            "template_url": reverse("ledger_template", args=[ledger.key]),
            "max_rows": MAX_ROWS,
        },
        status=400 if request.method == "POST" and not form.is_valid() else 200,
    )


def report_rows(report):
    """The rows the page lists: every row not imported first (up to the limit), then
    the others, in sheet order; the counts above the table cover them all."""
    errors = [r for r in report.results if r.outcome == "error"][:REPORT_ROWS_SHOWN]
    others = [r for r in report.results if r.outcome != "error"]
    shown = errors + others[: REPORT_ROWS_SHOWN - len(errors)]
    return sorted(shown, key=lambda result: result.number)


def template_workbook(ledger):
    """The blank ledger: the header row (required columns marked *), a notes sheet."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(ledger.title)[:31]
    notes = workbook.create_sheet(_("填写说明"))
    notes.append([_("列名"), _("是否必填"), _("填写说明")])
    for index, column in enumerate(ledger.columns, start=1):
        header = ledger.header(column)
        cell = sheet.cell(
            row=1, column=index, value=safe_cell(header + ("*" if column.required else ""))
        )
        cell.font = Font(bold=True)
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = max(12, len(header) * 2 + 4)
        model_field = ledger.model._meta.get_field(column.field)
        note = str(column.note or model_field.help_text or "")
        if column.kind == "choice":
            labels = [str(label) for _key, label in model_field.flatchoices]
            note = _("可选：%(c)s") % {"c": "、".join(labels)}
            check = DataValidation(type="list", formula1='"' + ",".join(labels) + '"',
                                   allow_blank=True)  # fmt: skip
            sheet.add_data_validation(check)
            check.add(f"{letter}2:{letter}{MAX_ROWS + 1}")
        elif column.kind == "date":
            note = _("日期，如 2026-03-08")
            for row in range(2, 202):
                sheet[f"{letter}{row}"].number_format = "yyyy-mm-dd"
        elif column.kind == "int":
            note = _("整数")
        elif column.kind == "community":
            note = _("社区名称；留空则导入到上传时选择的默认社区")
        elif column.kind == "unit":
            note = _("单位名称，须与系统中的驻区单位名称一致")
        else:
            for row in range(2, 202):  # credit codes and phones stay text
                sheet[f"{letter}{row}"].number_format = "@"
        notes.append(safe_cell(v) for v in (header, _("是") if column.required else _("否"), note))
    notes.append([])
    notes.append([safe_cell(_("同一记录再次导入不会重复新增：按 %(k)s 识别，内容不同则更新。")
                            % {"k": ledger.key_description})])  # fmt: skip
    notes.column_dimensions["A"].width = 20
    notes.column_dimensions["C"].width = 60
    sheet.freeze_panes = "A2"
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def template_view(request, key):
    ledger = _ledger(request, key)
    response = HttpResponse(template_workbook(ledger), content_type=XLSX)
    filename = f"{ledger.title}-导入模板.xlsx"
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


urlpatterns = [
    path("ledgers/<slug:key>/import/", import_view, name="ledger_import"),
    path("ledgers/<slug:key>/template/", template_view, name="ledger_template"),
]
