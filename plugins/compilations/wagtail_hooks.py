from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.widgets import Button

from . import urls
from .models import CompilationPage


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("compilations/", include((urls, "compilations"), namespace="compilations"))]


@hooks.register("register_page_header_buttons")
def compilation_buttons(page, user, view_name, next_url=None):
    if page.specific_class is not CompilationPage:
        return
    permissions = page.permissions_for_user(user)
    if permissions.can_add_subpage():
        yield Button(_("收入推荐案例"), reverse("compilations:pull_cases", args=[page.pk]),
                     icon_name="doc-full", priority=80)  # fmt: skip
    yield Button(_("导出 Word"), reverse("compilations:export", args=[page.pk, "docx"]),
                 icon_name="download", priority=81)  # fmt: skip
    yield Button(_("导出 PDF"), reverse("compilations:export", args=[page.pk, "pdf"]),
                 icon_name="download", priority=82)  # fmt: skip


@hooks.register("register_archive_types")
def archive_types():
    """Searchable in the archive search (search/documents.py)."""
    from .models import CompilationArticlePage

    return [(CompilationArticlePage, "compilation_article", _("经验汇编文章"))]


@hooks.register("gongjian_organisation_links")
def organisation_link(request, organisation):
    """经验汇编: the organisation's compilation (the newest one when there are several is
    a click further: the archive search lists their articles by organisation)."""
    from urllib.parse import urlencode

    from gongjian_site.navigation import OrganisationLink

    compilations = list(
        CompilationPage.objects.live().descendant_of(organisation)
        .order_by("-first_published_at").only("id", "path", "url_path")[:2]
    )  # fmt: skip
    if not compilations:
        return None
    if len(compilations) == 1:
        url = compilations[0].get_url(request)
    else:
        url = reverse("search") + "?" + urlencode(
            {"type": "compilation_article", "unit": organisation.title}
        )  # fmt: skip
    return OrganisationLink(key="compilations", title=_("经验汇编"), url=url, order=30)


@hooks.register("register_document_template")
def cover_template():
    """经验汇编封面 in 设置 › 文书模板."""
    from .covers import TEMPLATE_KIND

    return TEMPLATE_KIND


@hooks.register("register_page_header_buttons")
def new_compilation_button(page, user, view_name, next_url=None):
    """新建经验汇编 beside a compilation (compilations have no index page): opens the
    create view under the editor's own organisation."""
    if page.specific_class is CompilationPage:
        from gongjian_site.newpages import new_page_url

        yield Button(_("新建经验汇编"), new_page_url(CompilationPage), icon_name="plus",
                     priority=1)  # fmt: skip
