"""Where a resident goes from an organisation's page, and what the sitemap lists.

Two hooks, in the manner of ``gongjian_home_sections`` (gongjian_site/home.py), so the
site never imports a plugin and a plugin adds its part in its own ``wagtail_hooks.py``:

``gongjian_organisation_links(request, organisation)``
    returns an :class:`OrganisationLink` (or a list, or None when the organisation has
    nothing of that kind: a link is shown only where its content exists). Every
    organisation page (city, district, street, community, ...) shows them as its
    栏目 bar: 活动记录, 典型案例, 经验汇编, 三个清单公示, 统计.

``gongjian_sitemap_urls(request, site_root)``
    returns :class:`SitemapUrl` entries for public views that are not pages (boards,
    statistics, feeds, forms, big screens), so ``sitemap.xml`` lists everything a
    resident can reach, not only the page tree.
"""

from dataclasses import dataclass

from django.contrib.sitemaps import Sitemap

from .home import collect

LINKS_HOOK = "gongjian_organisation_links"
SITEMAP_HOOK = "gongjian_sitemap_urls"


@dataclass
class OrganisationLink:
    key: str
    title: str
    url: str
    order: int = 100


@dataclass
class SitemapUrl:
    location: str
    lastmod: object = None
    changefreq: str = "daily"


def nearest_index(queryset, organisation):
    """The page of ``queryset`` (an index type: 活动记录, 典型案例 ...) that is a child of
    ``organisation`` or of its nearest ancestor that has one; None if none has.

    One query over the few index pages no deeper than the organisation's children,
    chosen in Python, instead of one query per ancestor.
    """
    from wagtail.models import Page

    step = Page.steplen
    chain = {organisation.path[:n] for n in range(step, len(organisation.path) + 1, step)}
    candidates = queryset.filter(depth__lte=organisation.depth + 1).only(
        "id", "path", "depth", "url_path"
    )
    found = [page for page in candidates if page.path[:-step] in chain]
    return max(found, key=lambda page: page.depth, default=None)


def is_child_of(page, organisation):
    from wagtail.models import Page

    return page.path[: -Page.steplen] == organisation.path


def organisation_links(request, organisation):
    """The links the installed plugins offer for ``organisation``, in their order."""
    links = collect(LINKS_HOOK, request, organisation)
    return sorted(links, key=lambda link: (link.order, link.key))


def sitemap_urls(request, site_root):
    """Public non-page views under ``site_root``, de-duplicated, in a stable order."""
    seen = {}
    for entry in collect(SITEMAP_HOOK, request, site_root):
        seen.setdefault(entry.location, entry)
    return sorted(seen.values(), key=lambda entry: entry.location)


class PublicViewsSitemap(Sitemap):
    """The non-page half of sitemap.xml; Wagtail's own Sitemap gives the pages."""

    def __init__(self, request, site_root):
        self.request = request
        self.site_root = site_root

    def items(self):
        return sitemap_urls(self.request, self.site_root)

    def location(self, item):
        return item.location

    def lastmod(self, item):
        return item.lastmod

    def changefreq(self, item):
        return item.changefreq

    def get_urls(self, page=1, site=None, protocol=None):
        # Locations are site-relative paths: resolve them against the request's host,
        # as Wagtail's page sitemap does, instead of django.contrib.sites.
        base = self.request.build_absolute_uri("/").rstrip("/")
        return [
            {
                "item": item,
                "location": base + item.location,
                "lastmod": item.lastmod,
                "changefreq": item.changefreq,
                "priority": None,
                "alternates": [],
            }
            for item in self.items()
        ]


def sitemap(request):
    """sitemap.xml: Wagtail's pages of the request's site plus the plugins' public views."""
    from wagtail.contrib.sitemaps.sitemap_generator import Sitemap as PageSitemap
    from wagtail.contrib.sitemaps.views import sitemap as wagtail_sitemap
    from wagtail.models import Site

    site = Site.find_for_request(request)
    root = site.root_page.specific if site else None
    sitemaps = {"pages": PageSitemap(request)}
    if root is not None:
        sitemaps["views"] = PublicViewsSitemap(request, root)
    return wagtail_sitemap(request, sitemaps=sitemaps)
