"""What is indexed: which page types, and how a page becomes a SearchDocument.

Plugins declare their searchable page types with a Wagtail hook, so this package
never imports them::

    @hooks.register("register_archive_types")
    def archive_types():
        return [(ActivityPage, "activity", "活动记录")]

A page may define ``archive_date()`` (else a ``date`` field, else its first
publication), ``archive_body()`` (else every rich text, StreamField and long
text field is flattened) and ``archive_keywords()`` (else its tags and its kind,
an ``ActivityKind`` or any other ``kind``).
"""

import html
import re
from dataclasses import dataclass
from functools import cache, lru_cache

from django.db import models
from django.utils.html import strip_tags
from wagtail import hooks
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page

from plugins.orgs.models import (
    CommunityPage,
    DistrictPage,
    OrganisationPage,
    StreetPage,
)

from .segment import index_text, normalise


@dataclass(frozen=True)
class ArchiveType:
    model: type
    key: str
    label: str


@cache
def archive_types():
    """Every registered archive type, most specific model first."""
    found = []
    for fn in hooks.get_hooks("register_archive_types"):
        for model, key, label in fn():
            found.append(ArchiveType(model, key, str(label)))
    # A subclass registered separately wins over its base class.
    return sorted(found, key=lambda t: -len(t.model.__mro__))


def type_labels():
    return {t.key: t.label for t in archive_types()}


def archive_type_of(page):
    for archive_type in archive_types():
        if isinstance(page, archive_type.model):
            return archive_type
    return None


def indexed_content_types():
    from django.contrib.contenttypes.models import ContentType

    models_ = set()
    for archive_type in archive_types():
        models_.add(archive_type.model)
        models_.update(m for m in _all_subclasses(archive_type.model))
    return ContentType.objects.get_for_models(*models_).values() if models_ else []


def _all_subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _all_subclasses(sub)


def plain(markup):
    """Text of an HTML fragment as a reader sees it (tags dropped, entities decoded)."""
    return html.unescape(strip_tags(markup or ""))


def flatten_stream(value):
    """Plain text of a StreamField value: every text-bearing block, in order."""
    parts = []

    def walk(item):
        if item is None:
            return
        if hasattr(item, "source"):  # RichText
            parts.append(plain(item.source))
        elif isinstance(item, str):
            parts.append(plain(item))
        elif hasattr(item, "raw_data") or isinstance(item, list | tuple):  # StreamValue, lists
            for child in item:
                walk(getattr(child, "value", child))
        elif isinstance(item, dict):  # StructValue
            for child in item.values():
                walk(child)

    walk(value)
    return "\n".join(p.strip() for p in parts if p and p.strip())


def page_body(page):
    """The page's text, for indexing and snippets."""
    if hasattr(page, "archive_body"):
        return page.archive_body()
    parts = []
    for field in type(page)._meta.get_fields():
        if field.model is Page or not getattr(field, "concrete", False):
            continue
        value = getattr(page, field.attname, None)
        if isinstance(field, StreamField):
            parts.append(flatten_stream(getattr(page, field.name)))
        elif isinstance(field, RichTextField) or (
            isinstance(field, models.TextField) and isinstance(value, str)
        ):
            parts.append(plain(value))
    return "\n".join(p for p in parts if p)


def page_date(page):
    if hasattr(page, "archive_date"):
        return page.archive_date()
    value = getattr(page, "date", None)
    if value:
        return value
    published = page.first_published_at or page.last_published_at
    return published.date() if published else None


def _ancestor_paths(page):
    """Paths of the page's ancestors below the tree root, and its own, top down."""
    step = page.steplen
    return [page.path[:n] for n in range(2 * step, len(page.path) + 1, step)]


def organisation_context(chain):
    """District, street, community, the nearest organisation and the paths, from the
    chain of pages from the city down to the page itself."""
    found = {"district": "", "street": "", "community": "", "unit": "", "level": ""}
    for ancestor in chain:
        cls = ancestor.specific_class
        if cls is None:
            continue
        if issubclass(cls, DistrictPage):
            found["district"] = ancestor.title
        elif issubclass(cls, StreetPage):
            found["street"] = ancestor.title
        elif issubclass(cls, CommunityPage):
            found["community"] = ancestor.title
        if issubclass(cls, OrganisationPage):
            found["unit"] = ancestor.title
            found["level"] = str(cls._meta.verbose_name)
        elif getattr(cls, "archive_unassigned", False):
            # 未归属 (plugins.archive) holds records whose organisation is unknown: the
            # city above it is not their unit
            found.update(district="", street="", community="", unit=ancestor.title, level="")
    found["org_path"] = "/".join(a.slug for a in chain) + "/"
    found["org_titles"] = "/".join(a.title for a in chain) + "/"
    return found


def context_text(org_titles, when):
    """Words a reader uses to narrow by place and time (幸福里 2021) that the text itself
    may not contain: the organisation names above the record and its year."""
    year = f"{when.year}年 {when.year}" if when else ""
    return f"{org_titles.replace('/', ' ')} {year}"


def tags_of(page):
    tags = getattr(page, "tags", None)
    if tags is None or not hasattr(tags, "all"):
        return []
    return sorted({tag.name for tag in tags.all()})


def keywords_of(page, kinds=None):
    """What editors said the page is about: its tags and its kind (志愿服务 for an
    activity of that kind), searched as a field of their own. ``kinds`` maps page ids
    to kind names read for a whole batch (see ``kind_names``)."""
    if hasattr(page, "archive_keywords"):
        return list(page.archive_keywords())
    words = tags_of(page)
    kind = (kinds or {}).get(page.pk)
    if kind is None and isinstance(getattr(page, "kind", None), str):
        kind = page.kind  # a plain text field
    return [*words, kind] if kind else words


def kind_names(pages):
    """{page id: kind name} for pages whose ``kind`` is a foreign key, one query per
    kind model, so a batch of activities does not cost a query each."""
    wanted = {}
    for page in pages:
        field = next((f for f in page._meta.concrete_fields if f.name == "kind"), None)
        if field is not None and field.is_relation and page.kind_id is not None:
            wanted.setdefault(field.related_model, {})[page.pk] = page.kind_id
    names = {}
    for model, by_page in wanted.items():
        found = model._default_manager.in_bulk(set(by_page.values()))
        names.update((pk, str(found[k])) for pk, k in by_page.items() if k in found)
    return names


# Indexed in the tags field of organisation pages only, so a query can rank them
# apart from the records (one rare token: a match costs FTS5 and PostgreSQL nothing).
# The tokenizers only split on spaces and punctuation, and no query cuts into this.
ORGANISATION_MARKER = "zzorganisationzz"
ORGANISATION_TYPE = "organisation"
# One underlying case: a typical case and the copies of it in compilations.
COLLAPSING_TYPES = ("case", "compilation_article")
FOLD = re.compile(r"[\W_]+", re.UNICODE)


def collapse_key(doc_type, title, original_title=None):
    """The key a case and its compilation copies share: the case's title, folded
    (case, width, punctuation and spaces ignored). A copy linked to its case
    (``source_case``) takes the case's title even when its own was changed; an
    unlinked one (an old compilation imported from Word) is recognised by its title."""
    if doc_type not in COLLAPSING_TYPES:
        return ""
    folded = FOLD.sub("", normalise(original_title or title))
    return f"case:{folded}"[:255] if folded else ""


@lru_cache(maxsize=4096)
def _short_text_tokens(text):
    """index_text of the short texts thousands of documents share (a tag list, the
    organisations above them and a year): cut once, not once per document."""
    return index_text(text)


def token_fields(doc_type, title, body, keywords, org_titles, when, original_title=None):
    """The segmented columns of a document, one per weighted field."""
    keywords = [k for k in keywords if k]
    if doc_type == ORGANISATION_TYPE:
        keywords.append(ORGANISATION_MARKER)
    return {
        "title_tokens": index_text(title),
        "tag_tokens": _short_text_tokens("\n".join(keywords)),
        "org_tokens": _short_text_tokens(context_text(org_titles, when)),
        "body_tokens": index_text(body),
        "collapse_key": collapse_key(doc_type, title, original_title),
    }


def _prefetch_tags(pages):
    """Read the tags of ``pages`` in one query per page type (``tags_of`` otherwise asks
    page by page: a tenth of an import's time)."""
    from django.core.exceptions import FieldDoesNotExist
    from django.db.models import prefetch_related_objects

    by_type = {}
    for page in pages:
        by_type.setdefault(type(page), []).append(page)
    for model, group in by_type.items():
        try:
            model._meta.get_field("tags")
        except FieldDoesNotExist:
            continue
        prefetch_related_objects(group, "tags")


def build_documents(pages):
    """Unsaved SearchDocuments for the live, public pages of an archive type.

    Ancestors and view restrictions for the whole batch are read in two queries,
    so reindexing a subtree costs about the same for 1 page or 500.
    """
    from wagtail.models import PageViewRestriction

    from .models import SearchDocument

    # Pages of other types (index pages, sections) cost no query at all.
    pages = [page for page in (p.specific for p in pages) if archive_type_of(page)]
    if not pages:
        return []
    _prefetch_tags(pages)
    paths = {path for page in pages for path in _ancestor_paths(page)}
    by_path = {p.path: p for p in Page.objects.filter(path__in=paths).only(
        "path", "title", "slug", "live", "content_type_id")}  # fmt: skip
    restricted = set(
        PageViewRestriction.objects.filter(page__path__in=paths).values_list(
            "page__path", flat=True
        )
    )
    # The cases that compilation articles were copied from, by id, in one query.
    originals = dict(
        Page.objects.filter(
            pk__in={getattr(page, "source_case_id", None) for page in pages} - {None}
        ).values_list("pk", "title")
    )
    kinds = kind_names(pages)
    documents = []
    for page in pages:
        archive_type = archive_type_of(page)
        chain_paths = _ancestor_paths(page)
        chain = [by_path[path] for path in chain_paths if path in by_path]
        # Public: live itself and every ancestor live (an unpublished parent hides its
        # children), and no view restriction on the page or above.
        public = (
            page.live and all(a.live for a in chain) and not restricted.intersection(chain_paths)
        )
        if not public:
            continue
        body = page_body(page)
        date = page_date(page)
        context = organisation_context(chain)
        documents.append(
            SearchDocument(
                page_id=page.pk,
                doc_type=archive_type.key,
                source_id=str(getattr(page, "source_id", "") or ""),
                title=page.title,
                body=body,
                date=date,
                year=date.year if date else None,
                url=page.get_url() or "",
                tag_list=SearchDocument.join_tags(tags_of(page)),
                **token_fields(
                    archive_type.key,
                    page.title,
                    body,
                    keywords_of(page, kinds),
                    # The organisations above it: its own name is its title's.
                    "/".join(a.title for a in chain if a.path != page.path),
                    date,
                    originals.get(getattr(page, "source_case_id", None)),
                ),
                **context,
            )
        )
    return documents
