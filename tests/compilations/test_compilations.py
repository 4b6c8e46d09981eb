"""Compilations: outline, pulling cases, the public page and the admin views."""

import pytest

from plugins.archive.api import body_text
from plugins.cases.models import CasePage
from plugins.compilations.models import (
    CompilationArticlePage,
    CompilationChapterPage,
    CompilationPage,
)
from plugins.compilations.pulling import candidate_cases, pull_cases
from plugins.orgs.models import DistrictPage

from .conftest import CHAPTERS, article_titles


def test_outline_is_in_tree_order_and_follows_reordering(
    compilation, django_assert_max_num_queries
):
    with django_assert_max_num_queries(6):
        sections = compilation.outline()
    assert [s.chapter.title for s in sections] == list(CHAPTERS)
    assert [a.title for s in sections for a in s.articles] == article_titles()
    first, second = CompilationChapterPage.objects.child_of(compilation).order_by("path")
    first.move(second, pos="right")  # the editor drags chapter one below chapter two
    compilation.refresh_from_db()
    assert [s.chapter.title for s in compilation.outline()] == list(CHAPTERS)[::-1]


def test_outline_leaves_out_drafts_unless_asked(compilation):
    article = CompilationArticlePage.objects.get(title=article_titles()[0])
    article.unpublish()
    live = [a.title for s in compilation.outline() for a in s.articles]
    everything = [a.title for s in compilation.outline(live_only=False) for a in s.articles]
    assert article.title not in live and article.title in everything


def test_page_tree_rules():
    assert CompilationPage in CompilationChapterPage.allowed_parent_page_models()
    assert set(CompilationArticlePage.allowed_parent_page_models()) == {
        CompilationPage, CompilationChapterPage}  # fmt: skip
    assert not CompilationArticlePage.allowed_subpage_models()


def test_pull_recommended_cases_as_linked_copies(compilation):
    recommended = list(CasePage.objects.live().filter(recommended=True))
    assert recommended and set(candidate_cases(compilation)) == set(recommended)
    made = pull_cases(compilation, recommended, new_chapter_title="三、典型案例篇")
    assert len(made) == len(recommended)
    chapter = CompilationChapterPage.objects.child_of(compilation).get(title="三、典型案例篇")
    for article in made:
        article.refresh_from_db()
        assert article.get_parent().pk == chapter.pk and article.live
        case = article.source_case
        assert article.title == case.title
        assert body_text(article.body) == body_text(case.body) != ""
    # The copy is a copy: editing the case leaves the article alone.
    case = made[0].source_case
    case.title = "改过的案例标题"
    case.save()
    assert CompilationArticlePage.objects.get(pk=made[0].pk).title != "改过的案例标题"
    # Pulling again adds nothing.
    assert list(candidate_cases(compilation)) == []
    assert pull_cases(compilation, recommended, chapter=chapter) == []


def test_public_page_lists_the_outline_with_downloads(
    client, compilation, django_assert_max_num_queries
):
    # 25 + the theme's breadcrumb trail and share card (cover image and its rendition),
    # + the filing footer, + the collection privacy of each new rendition (two here).
    with django_assert_max_num_queries(31):
        response = client.get(compilation.url)
    html = response.content.decode()
    assert response.status_code == 200
    positions = [html.index(title) for title in article_titles()]
    assert positions == sorted(positions)
    assert "export/docx/" in html and "export/pdf/" in html


def test_public_download_only_once_published(client, compilation):
    response = client.get(compilation.url + "export/docx/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    assert client.get(compilation.url + "export/rtf/").status_code == 404
    url = compilation.url
    compilation.unpublish()
    assert client.get(url + "export/docx/").status_code == 404


def test_admin_header_has_the_buttons(admin_client_demo, compilation):
    html = admin_client_demo.get(f"/admin/pages/{compilation.pk}/").content.decode()
    assert "收入推荐案例" in html and "导出 Word" in html and "导出 PDF" in html


def test_admin_pull_view(admin_client_demo, compilation, django_assert_max_num_queries):
    url = f"/admin/compilations/{compilation.pk}/pull-cases/"
    with django_assert_max_num_queries(40):
        response = admin_client_demo.get(url)
    assert response.status_code == 200
    case = CasePage.objects.live().filter(recommended=True).first()
    assert case.title in response.content.decode()
    # Nothing chosen: a Chinese message, no change.
    response = admin_client_demo.post(url, {"new_chapter_title": "案例"})
    assert response.status_code == 200 and "请至少选择一篇案例" in response.content.decode()
    response = admin_client_demo.post(url, {"cases": [case.pk], "new_chapter_title": "案例篇"})
    assert response.status_code == 302
    assert (
        CompilationArticlePage.objects.descendant_of(compilation).filter(source_case=case).exists()
    )


def test_admin_export_downloads_drafts_too(admin_client_demo, compilation):
    compilation.unpublish()
    response = admin_client_demo.get(f"/admin/compilations/{compilation.pk}/export/docx/")
    assert response.status_code == 200 and response.content[:2] == b"PK"
    assert (
        admin_client_demo.get(f"/admin/compilations/{compilation.pk}/export/xls/").status_code
        == 404
    )


def test_admin_views_need_rights(client, compilation):
    from tests.conftest import login

    login(client, "member_b")  # a staff account with no rights on the district's pages
    assert client.get(f"/admin/compilations/{compilation.pk}/pull-cases/").status_code in (302, 403)


@pytest.mark.parametrize("slug", ["jiangbei"])
def test_demo_compilation_has_the_recommended_cases(demo, slug):
    compilation = CompilationPage.objects.child_of(DistrictPage.objects.get(slug=slug)).get()
    titles = [a.title for s in compilation.outline() for a in s.articles]
    recommended = set(CasePage.objects.filter(recommended=True).values_list("title", flat=True))
    assert set(titles) == recommended


def test_admin_add_forms_render(admin_client_demo, compilation, django_assert_max_num_queries):
    from plugins.orgs.models import OrganisationPage

    community = OrganisationPage.objects.get(slug="xingfuli")
    chapter = CompilationChapterPage.objects.child_of(compilation).first()
    for url in [
        f"/admin/pages/add/compilations/compilationpage/{community.pk}/",
        f"/admin/pages/add/compilations/compilationchapterpage/{compilation.pk}/",
        f"/admin/pages/add/compilations/compilationarticlepage/{chapter.pk}/",
        f"/admin/pages/add/cases/casepage/{community.pk}/",
        f"/admin/pages/add/activities/activitypage/{community.pk}/",
        f"/admin/pages/{compilation.pk}/edit/",
    ]:
        with django_assert_max_num_queries(120):
            assert admin_client_demo.get(url).status_code == 200, url
