"""Importing an office's ledger (台账) from Excel into a record list, row by row.

Offices keep needs, resources, the unit registry and member check-ins in Excel; a
``Ledger`` says how one of those sheets maps onto a record list: its columns (the
model fields' Chinese names, the same headers the list's export writes, so an export
imports back), the natural key that makes a re-import change nothing (the credit code
of a unit, the title of a need in its community and year ...), and who may import into
which communities. Plugins declare theirs with the ``register_ledgers`` hook.

``run_import`` is all-or-reported:

- every row is validated with **the list's own admin form** (``for_user``: the same
  choices, scope and checks as adding the record by hand), after the cell values are
  turned into what the form takes (Chinese choice labels, dates, whole numbers);
- a bad row is reported with its row number and the reasons, and skipped; the good
  rows are saved together in one transaction, so either all of them are stored or
  (should the database refuse one) none, and the report says so;
- a row whose record exists (natural key) updates it only when a value differs
  (``未变化`` otherwise), and only when the user may change that record;
- a community is taken from the row (its 社区 column, by title) or from the upload
  form, and only among the communities the user may import into.
"""

import datetime
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.forms.models import model_to_dict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.log_actions import log

from .xlsx_import import SheetError, read_sheet

OUTCOMES = {
    "created": gettext_lazy("新增"),
    "updated": gettext_lazy("已更新"),
    "unchanged": gettext_lazy("未变化"),
    "error": gettext_lazy("未导入"),
}
DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日", "%Y%m%d")


@dataclass(frozen=True)
class Column:
    """A sheet column: the form field it fills and how its cells are read.

    ``kind``: text, int, date, choice, unit (a unit page by title) or community."""

    field: str
    kind: str = "text"
    required: bool = False
    note: str = ""


class Ledger:
    """One importable record list; subclasses fill in the class attributes."""

    key = ""  # in URLs
    title = ""  # 需求清单 ...
    key_description = ""  # how a record is recognised, for the page and the template
    admin_class = None  # the list's ModelAdmin: its form and its permission helper
    columns = ()
    community_field = "community"
    #: Values a new record gets when the sheet leaves them out.
    new_defaults = {}

    @property
    def model(self):
        return self.admin_class.model

    def admin(self):
        return self.admin_class()

    def header(self, column):
        return str(self.model._meta.get_field(column.field).verbose_name)

    def headers(self):
        return {self.header(column): column for column in self.columns}

    def form_class(self):
        admin = self.admin()
        return admin.get_edit_handler().bind_to_model(self.model).get_form_class()

    def communities(self, user):
        """The communities ``user`` may import into (a queryset)."""
        raise NotImplementedError

    def units(self, user):
        """The unit pages a ``unit`` column may name."""
        return None

    def can_import(self, user):
        return user.is_active and self.communities(user).exists()

    def can_change(self, user, record):
        return self.admin().permission_helper.user_can_edit_obj(user, record)

    def clean_values(self, values):
        """Normalise converted values (credit codes, phones); return reasons for errors."""
        return []

    def natural_key(self, community, values):
        raise NotImplementedError

    def row_label(self, values):
        """How the report names the row's record (after its row number)."""
        return str(values.get("title", ""))

    def find(self, community, values):
        """The existing record with the row's natural key, or None."""
        raise NotImplementedError

    def new_record(self, community, values):
        record = self.model(**{self.community_field: community})
        for name, value in self.new_defaults.items():
            setattr(record, name, value)
        return record


def registered_ledgers():
    """Every ledger the installed plugins declare, by key."""
    ledgers = {}
    for hook in hooks.get_hooks("register_ledgers"):
        for ledger in hook() or ():
            ledgers[ledger.key] = ledger
    return ledgers


def ledger_for_model(model):
    return next((ledger for ledger in registered_ledgers().values() if ledger.model is model), None)


# --- Reading cells -------------------------------------------------------------------


def as_text(value):
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # 13800000000 typed as a number
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value).strip()


def as_int(value):
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    text = as_text(value).replace(",", "")
    if re.fullmatch(r"[+-]?\d{1,9}", text):
        return int(text)
    raise ValueError


def as_date(value):
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool) and 1 < value < 100000:
        from openpyxl.utils.datetime import from_excel

        return from_excel(value).date()  # a date cell that lost its date format
    text = as_text(value)
    for fmt in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError


def _choice(model_field, value):
    text = as_text(value)
    for key, label in model_field.flatchoices:
        if text in (str(key), str(label)):
            return key
    raise ValueError


def convert(ledger, row_values, units):
    """The row's cells as form values, by field name; and the reasons it cannot be."""
    values, reasons = {}, []
    for header, column in ledger.headers().items():
        if header not in row_values:
            if column.required:
                reasons.append(_("“%(h)s”不能为空") % {"h": header})
            continue
        raw = row_values[header]
        model_field = ledger.model._meta.get_field(column.field)
        try:
            if column.kind == "int":
                values[column.field] = as_int(raw)
            elif column.kind == "date":
                values[column.field] = as_date(raw)
            elif column.kind == "choice":
                values[column.field] = _choice(model_field, raw)
            elif column.kind == "unit":
                title = as_text(raw)
                matches = units.get(title, [])
                if len(matches) != 1:
                    reasons.append(
                        _("找不到您可登记的单位“%(v)s”") % {"v": title}
                        if not matches
                        else _("有多个名为“%(v)s”的单位，请在系统中核对") % {"v": title}
                    )
                    continue
                values[column.field] = matches[0]
            else:
                values[column.field] = as_text(raw)
        except (ValueError, TypeError, OverflowError):
            reasons.append(_("“%(h)s”的值“%(v)s”无效：%(hint)s") % {
                "h": header, "v": as_text(raw)[:40], "hint": _hint(column, model_field),
            })  # fmt: skip
    return values, reasons


def _hint(column, model_field):
    if column.kind == "int":
        return _("应为整数")
    if column.kind == "date":
        return _("应为日期，如 2026-03-08")
    if column.kind == "choice":
        return _("可选：%(c)s") % {
            "c": "、".join(str(label) for _k, label in model_field.flatchoices)
        }
    return _("格式不正确")


# --- The report ----------------------------------------------------------------------


@dataclass
class RowResult:
    number: int
    outcome: str
    label: str = ""
    reasons: list = field(default_factory=list)

    @property
    def outcome_label(self):
        return OUTCOMES[self.outcome]


@dataclass
class Report:
    ledger: Ledger
    results: list = field(default_factory=list)
    ignored_headers: list = field(default_factory=list)
    file_error: str = ""
    dry_run: bool = False
    saved: bool = False

    def count(self, outcome):
        return sum(1 for result in self.results if result.outcome == outcome)

    @property
    def counts(self):
        return {key: self.count(key) for key in OUTCOMES}


# --- The import ------------------------------------------------------------------------


def _group_by_title(queryset):
    groups = {}
    for page in queryset.only("pk", "title"):
        groups.setdefault(page.title.strip(), []).append(page)
    return groups


def run_import(ledger, user, data, default_community=None, dry_run=False):
    """Read ``data`` (the .xlsx bytes) and save its good rows; see the module docstring."""
    report = Report(ledger=ledger, dry_run=dry_run)
    headers = ledger.headers()
    required = [h for h, c in headers.items() if c.required and c.kind != "community"]
    try:
        sheet = read_sheet(data, required, headers)
    except SheetError as exc:
        report.file_error = str(exc)
        return report
    report.ignored_headers = sheet.ignored_headers
    communities = ledger.communities(user)
    by_title = _group_by_title(communities)
    allowed = {page.pk for pages in by_title.values() for page in pages}
    if default_community is not None and default_community.pk not in allowed:
        default_community = None
    unit_pages = ledger.units(user)
    units = _group_by_title(unit_pages) if unit_pages is not None else {}
    form_class = ledger.form_class()
    form_fields = list(form_class.base_fields)
    seen, pending = {}, []
    for row in sheet.rows:
        result = RowResult(row.number, "error", reasons=list(row.problems))
        report.results.append(result)
        if result.reasons:
            continue
        values, reasons = convert(ledger, row.values, units)
        community = values.pop(ledger.community_field, None)
        if community is not None:
            matches = by_title.get(community, [])
            if len(matches) != 1:
                reasons.append(
                    _("您无权向“%(c)s”导入，或系统中没有这个社区") % {"c": community}
                    if not matches
                    else _("有多个名为“%(c)s”的社区") % {"c": community}
                )
            community = matches[0] if len(matches) == 1 else None
        else:
            community = default_community
            if community is None:
                reasons.append(_("未指定社区：请填写“社区”列，或在上传时选择默认社区"))
        reasons += ledger.clean_values(values)
        if reasons:
            result.reasons = reasons
            continue
        key = ledger.natural_key(community, values)
        result.label = ledger.row_label(values)
        if key in seen:
            result.reasons = [_("与第 %(n)d 行是同一条记录（%(k)s），只导入一次") % {
                "n": seen[key], "k": result.label}]  # fmt: skip
            continue
        seen[key] = row.number
        existing = ledger.find(community, values)
        if existing is not None and not ledger.can_change(user, existing):
            result.reasons = [_("已有这条记录，但您无权修改它")]
            continue
        record = existing or ledger.new_record(community, values)
        form_data = model_to_dict(record, fields=form_fields)
        before = dict(form_data)
        form_data.update({name: _form_value(value) for name, value in values.items()})
        form_data[ledger.community_field] = community.pk
        form = form_class(data=form_data, instance=record, for_user=user)
        if not form.is_valid():
            result.reasons = _form_errors(form, ledger)
            continue
        if existing is not None and not _differs(before, form, form_fields):
            result.outcome = "unchanged"
            continue
        result.outcome = "updated" if existing is not None else "created"
        pending.append((result, form))
    if dry_run or not pending:
        return report
    try:
        with transaction.atomic():
            for result, form in pending:
                record = form.save()
                action = "wagtail.create" if result.outcome == "created" else "wagtail.edit"
                log(instance=record, action=action, user=user)
    except (DatabaseError, ValidationError) as exc:
        for result, _form in pending:
            result.reasons = [_("保存失败，已撤销")]
            result.outcome = "error"
        report.file_error = _("保存时数据库拒绝了其中一行（%(e)s），本次未导入任何记录。") % {
            "e": str(exc)[:200]
        }
        return report
    report.saved = True
    return report


def _differs(before, form, fields):
    """Whether saving the form would change the record (its values after cleaning,
    not the form's idea of "changed", which counts a date typed as text)."""
    after = model_to_dict(form.instance, fields=fields)
    for name in fields:
        field = form.instance._meta.get_field(name) if name in after else None
        if field is not None and field.many_to_many:
            old = {getattr(v, "pk", v) for v in before.get(name) or ()}
            if old != {v.pk for v in form.cleaned_data.get(name) or ()}:
                return True
        elif name in after and before.get(name) != after[name]:
            return True
    return False


def _form_value(value):
    return getattr(value, "pk", value)


def _form_errors(form, ledger):
    names = {column.field: ledger.header(column) for column in ledger.columns}
    reasons = []
    for name, errors in form.errors.items():
        label = names.get(name) or (form.fields[name].label if name in form.fields else "")
        for error in errors:
            reasons.append(f"{label}：{error}" if label else str(error))
    return reasons
