"""The pre-publish check: the page's own text against 审核词表.

Read: the title, the search description, and every text field of the page type
(plain text, rich text with its tags stripped, StreamField text through each block's
searchable content). Structural fields (slug, paths, ids) are not text.
"""

import re
from dataclasses import dataclass

from django.db import models
from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page

#: Characters quoted on each side of a match.
CONTEXT = 12
#: Contexts quoted per term (the rest are counted).
MAX_QUOTES = 3
_SKIP = {"slug", "url_path", "draft_title", "latest_revision_created_at", "path", "locale",
         "translation_key", "content_type", "live_revision", "latest_revision"}  # fmt: skip


@dataclass
class Match:
    term: object  # ReviewTerm
    field: str
    quotes: list
    count: int


def page_texts(page):
    """(field label, text) pairs of ``page``'s readable text."""
    page = page.specific if type(page) is Page else page
    texts = [(str(Page._meta.get_field("title").verbose_name), page.title)]
    if page.search_description:
        texts.append((str(Page._meta.get_field("search_description").verbose_name),
                       page.search_description))  # fmt: skip
    page_fields = {f.name for f in Page._meta.get_fields()}
    for field in type(page)._meta.get_fields():
        if (
            field.name in page_fields
            or field.name in _SKIP
            or not getattr(field, "concrete", False)
        ):
            continue
        value = getattr(page, field.attname, None)
        if not value:
            continue
        label = str(getattr(field, "verbose_name", field.name))
        if isinstance(field, StreamField):
            parts = field.stream_block.get_searchable_content(value)
            texts.append((label, "\n".join(strip_tags(str(p)) for p in parts if p)))
        elif isinstance(field, RichTextField):
            texts.append((label, strip_tags(str(value))))
        elif isinstance(field, (models.CharField, models.TextField)) and not field.choices:
            texts.append((label, str(value)))
    return [(label, re.sub(r"\s+", " ", text).strip()) for label, text in texts if text]


def scan_page(page):
    """Every active term found in ``page``'s text, with its contexts."""
    from .models import ReviewTerm

    terms = list(ReviewTerm.objects.filter(active=True))
    if not terms:
        return []
    texts = page_texts(page)
    matches = []
    for term in terms:
        pattern = re.compile(re.escape(term.term), re.IGNORECASE)
        for label, text in texts:
            found = list(pattern.finditer(text))
            if not found:
                continue
            quotes = []
            for m in found[:MAX_QUOTES]:
                start, end = max(0, m.start() - CONTEXT), min(len(text), m.end() + CONTEXT)
                quotes.append(
                    ("…" if start else "") + text[start : m.start()] + "【" + m.group(0) + "】"
                    + text[m.end() : end] + ("…" if end < len(text) else "")
                )  # fmt: skip
            matches.append(Match(term, label, quotes, len(found)))
    return matches


def format_matches(matches):
    """The comment the author reads (Chinese, one line per quote)."""
    lines = [_("发布前检查发现 %(n)s 处需要修改的词语：") % {"n": sum(m.count for m in matches)}]
    for match in matches:
        head = _("“%(term)s”（%(kind)s，%(field)s，%(count)s 处）") % {
            "term": match.term.term, "kind": match.term.get_kind_display(),
            "field": match.field, "count": match.count,
        }  # fmt: skip
        if match.term.replacement:
            head += _("，建议改为“%(r)s”") % {"r": match.term.replacement}
        lines.append(head)
        lines.extend(f"  {quote}" for quote in match.quotes)
    return "\n".join(lines)
