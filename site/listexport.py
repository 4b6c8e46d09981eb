"""Excel (and CSV) downloads of every record list, as its reader expects them.

wagtail-modeladmin's IndexView already exports a list when its ModelAdmin declares
``list_export`` (and ``export_filename``): the download is the list's own queryset, so
it carries the same permission check (``user_can_list``), the same record scope
(``RecordAdmin.get_queryset``) and the same filters and search as the page the user is
looking at. Its cells are written for an English reader, though: choices as their
stored keys (``open``), users as their user names, falsy values (a progress of 0, an
empty note) as "-", and text starting with ``=`` as it was typed (in the CSV a live
formula). ``ExportIndexViewMixin`` writes what the list shows instead:

- headers are the fields' Chinese names (``export_headings`` may override them);
- choices as their Chinese labels, yes/no as 是/否, people by ``full_name``
  (family name first), related pages by their title, many-to-many as a list joined by 、;
- dates stay dates and date-times are local time, so Excel can sort and filter them;
- every cell goes through ``safe_cell`` (no formula injection, no control characters);
- the file is named after the list and the day (``需求清单-20261203.xlsx``); the CSV
  starts with a byte-order mark so Excel reads it as UTF-8.
"""

import datetime
import decimal

from django.contrib.admin.utils import label_for_field, lookup_field
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.http import content_disposition_header
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from .names import full_name
from .spreadsheets import safe_cell, safe_text


def export_value(value, field=None):
    """One cell's value as a reader of the list expects it (see the module docstring)."""
    if field is not None and getattr(field, "choices", None) and not field.is_relation:
        value = dict(field.flatchoices).get(value, value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if isinstance(value, AbstractBaseUser):
        return full_name(value)
    if isinstance(value, models.Manager):  # a many-to-many relation
        return "、".join(force_str(export_value(item)) for item in value.all())
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if isinstance(value, (datetime.date, datetime.time, int, float, decimal.Decimal)):
        return value
    if isinstance(value, models.Model):
        return force_str(getattr(value, "title", None) or value)
    return force_str(value)


class ExportIndexViewMixin:
    """For a modeladmin IndexView: the list's export in the reader's terms."""

    def get_filename(self):
        name = getattr(self.model_admin, "export_filename", None) or str(
            self.model._meta.verbose_name_plural
        )
        return f"{name}-{timezone.localdate():%Y%m%d}"

    def get_heading(self, queryset, field):
        override = self.export_headings.get(field)
        if override:
            return force_str(override)
        try:
            label = label_for_field(field, model=self.model, model_admin=self.model_admin)
        except (AttributeError, FieldDoesNotExist):
            label = field
        return capfirst(force_str(label))

    def to_row_dict(self, item):
        row = {}
        for name in self.list_export:
            field, _attr, value = lookup_field(name, item, self.model_admin)
            if isinstance(field, models.ManyToManyField):
                value = getattr(item, name)
            row[name] = safe_cell(export_value(value, field))
        return row

    def preprocess_field_value(self, field, value, export_format):
        # The values are final (``to_row_dict``): dates stay dates in the workbook.
        if export_format == self.FORMAT_CSV:
            return "" if value is None else force_str(value)
        return value

    def write_xlsx(self, queryset, output):
        from openpyxl import Workbook
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.styles import Font

        workbook = Workbook(write_only=True)
        title = safe_text(force_str(getattr(self.model_admin, "export_filename", "") or "Sheet1"))
        sheet = workbook.create_sheet(title="".join(c for c in title if c not in "[]:*?/\\")[:31])
        sheet.freeze_panes = "A2"
        headings = []
        for name in self.list_export:
            cell = WriteOnlyCell(sheet, safe_cell(self.get_heading(queryset, name)))
            cell.font = Font(bold=True)
            headings.append(cell)
        sheet.append(headings)
        for item in queryset:
            cells = []
            for value in self.to_row_dict(item).values():
                cell = WriteOnlyCell(sheet, value)
                if isinstance(value, datetime.datetime):
                    cell.number_format = "yyyy-mm-dd hh:mm"
                elif isinstance(value, datetime.date):
                    cell.number_format = "yyyy-mm-dd"
                elif isinstance(value, str):
                    cell.number_format = "@"  # credit codes and phone numbers stay text
                cells.append(cell)
            sheet.append(cells)
        workbook.save(output)

    def stream_csv(self, queryset):
        # A byte-order mark, or Excel on Windows reads the UTF-8 file as GBK (乱码).
        yield "\ufeff"
        yield from super().stream_csv(queryset)

    def write_csv_response(self, queryset):
        # The base class writes a non-ASCII file name unencoded into the header.
        response = super().write_csv_response(queryset)
        response["Content-Disposition"] = content_disposition_header(
            True, f"{self.get_filename()}.csv"
        )
        return response
