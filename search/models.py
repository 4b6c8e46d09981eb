"""The archive index: one row per searchable page, with its text already segmented.

The engine-specific structures live beside this table and are created by the
migrations for the database in use: an FTS5 table ``search_fts`` on SQLite and a
``tsvector`` column with a GIN index on PostgreSQL. Elasticsearch keeps its own
copy (``search.backends.elasticsearch``).
"""

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class SearchDocument(models.Model):
    """What the archive search knows about one page (or one generated benchmark record)."""

    page = models.OneToOneField(
        "wagtailcore.Page", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    doc_type = models.CharField(_("类型"), max_length=40, db_index=True)
    source_id = models.CharField(_("来源编号"), max_length=120, blank=True)
    title = models.CharField(_("标题"), max_length=255)
    body = models.TextField(_("正文"), blank=True)
    date = models.DateField(_("日期"), null=True, blank=True)
    year = models.PositiveSmallIntegerField(_("年份"), null=True, blank=True, db_index=True)
    district = models.CharField(_("区"), max_length=120, blank=True, db_index=True)
    street = models.CharField(_("街道"), max_length=120, blank=True, db_index=True)
    community = models.CharField(_("社区"), max_length=120, blank=True, db_index=True)
    unit = models.CharField(_("所属组织"), max_length=255, blank=True)
    # Slugs from the city down, '/'-joined with a trailing '/', so a prefix
    # filter selects an organisation and everything under it.
    org_path = models.CharField(max_length=500, blank=True, db_index=True)
    org_titles = models.CharField(max_length=1000, blank=True)
    level = models.CharField(_("组织层级"), max_length=40, blank=True)
    url = models.CharField(max_length=500, blank=True)
    # Tags one per line with a newline before and after each ("\n联席会议\n志愿服务\n"),
    # so a tag filter is a substring test and a tag facet groups whole tag lists.
    tag_list = models.TextField(blank=True)
    # The segmented text, one column per field so that each is weighted on its own:
    # title, tags and kind (what editors said the record is about), the organisations
    # above it with its year (where and when), body.
    title_tokens = models.TextField(blank=True)
    tag_tokens = models.TextField(blank=True)
    org_tokens = models.TextField(blank=True)
    body_tokens = models.TextField(blank=True)
    # Records that are one underlying case (a typical case and its copies in compilations)
    # share this key, so a result list shows them once (``search.collapse``).
    collapse_key = models.CharField(max_length=255, blank=True, db_index=True)

    class Meta:
        verbose_name = _("检索文档")
        verbose_name_plural = _("检索文档")
        # Which of a page's collapse keys a typical case has (backends/database.py
        # _collapse), answered from the index alone: with the type index instead, SQLite
        # would read every case.
        indexes = [models.Index(fields=["collapse_key", "doc_type"], name="search_doc_collapse")]

    def __str__(self):
        return self.title

    @property
    def tags(self):
        return [t for t in self.tag_list.split("\n") if t]

    @staticmethod
    def join_tags(names):
        names = sorted({n.strip()[:100] for n in names if n and n.strip()})
        return "\n" + "\n".join(names) + "\n" if names else ""


class Synonym(models.Model):
    """A group of terms that mean the same thing (双报到 = 在职党员到社区报到).

    A query containing one term also finds the others. Kept by editors in the admin.
    """

    EDITOR = ""
    THESAURUS = "thesaurus"

    terms = models.CharField(
        _("同义词组"),
        max_length=500,
        help_text=_("用“=”或逗号分隔同义的词，如：双报到 = 在职党员到社区报到"),
    )
    # Groups loaded from the shipped thesaurus (search/thesaurus.txt) are replaced when it
    # is loaded again; the editors' own groups (blank) are never touched by it.
    origin = models.CharField(
        _("来源"),
        max_length=20,
        blank=True,
        default=EDITOR,
        editable=False,
        choices=[(EDITOR, _("编辑添加")), (THESAURUS, _("内置词表"))],
    )

    class Meta:
        verbose_name = _("同义词")
        verbose_name_plural = _("同义词")

    def __str__(self):
        return " = ".join(self.term_list())

    def term_list(self):
        return [t.strip() for t in re.split(r"[=＝,，、;；]", self.terms) if t.strip()]

    def clean(self):
        if len(self.term_list()) < 2:
            raise ValidationError({"terms": _("同义词组至少需要两个词，用“=”分隔。")})
