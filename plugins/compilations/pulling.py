"""Pulling recommended cases into a compilation as article copies."""

from django.db import transaction

from plugins.archive.api import publish_fields
from plugins.cases.models import CasePage

from .models import CompilationArticlePage, CompilationChapterPage

DEFAULT_CHAPTER = "典型案例"


def candidate_cases(compilation):
    """Live cases marked 推荐入汇编 that this compilation has no copy of yet."""
    pulled = (
        CompilationArticlePage.objects.descendant_of(compilation)
        .exclude(source_case=None)
        .values("source_case")
    )
    return (
        CasePage.objects.live().filter(recommended=True).exclude(pk__in=pulled)
        .order_by("-date", "title")
    )  # fmt: skip


def copied_body(case):
    """The case's body for its copy, led by the case's cover picture: the article, the
    Word file and the PDF all show it, as the case page does."""
    body = list(case.body.raw_data)
    if case.cover_image_id:
        cover = {"image": case.cover_image_id, "alt_text": case.title[:255], "caption": ""}
        body.insert(0, {"type": "image", "value": cover})
    return body


@transaction.atomic
def pull_cases(compilation, cases, chapter=None, new_chapter_title=None):
    """Copy ``cases`` into the compilation as published articles, in the given order.

    Each copy keeps its text at the time of pulling and a link to its case
    (``source_case``); a case already in the compilation is skipped. The articles go
    into ``chapter``, or a new chapter titled ``new_chapter_title``, or directly under
    the compilation. Returns the new articles.
    """
    if chapter is None and new_chapter_title:
        chapter = CompilationChapterPage(title=new_chapter_title, **publish_fields())
        compilation.add_child(instance=chapter)
    holder = chapter or compilation
    already = set(
        CompilationArticlePage.objects.descendant_of(compilation)
        .exclude(source_case=None).values_list("source_case_id", flat=True)
    )  # fmt: skip
    made = []
    for case in cases:
        if case.pk in already:
            continue
        parent = case.get_parent()
        article = CompilationArticlePage(
            title=case.title, author=case.author, unit_name=parent.title, lead=case.lead,
            body=copied_body(case), source_case=case, **publish_fields(),
        )  # fmt: skip
        holder.add_child(instance=article)
        already.add(case.pk)
        made.append(article)
    return made
