"""Template tags of every theme: theme static files, share cards, the home sections,
an organisation's 栏目 links, cached fragments."""

from django import template
from django.utils.html import strip_tags
from django.utils.text import Truncator

from .. import fragments
from ..home import rendered_home_sections
from ..navigation import organisation_links as _organisation_links
from ..themes import current_theme, theme_static_url

register = template.Library()

SHARE_RENDITION = "fill-1200x630"
DEFAULT_DESCRIPTION = "区域化党建工作平台：组织架构、共建活动、典型案例与经验汇编。"


class CachedFragmentNode(template.Node):
    child_nodelists = ("nodelist",)  # so {% block %} inside is found by {% extends %}

    def __init__(self, name, per_page, nodelist):
        self.name, self.per_page, self.nodelist = name, per_page, nodelist

    def render(self, context):
        return fragments.fragment(
            context.get("request"), self.name, lambda: self.nodelist.render(context),
            per_page=self.per_page,
        )  # fmt: skip


@register.tag
def cached_fragment(parser, token):
    """``{% cached_fragment "content" %}...{% endcached_fragment %}``: the part of the
    page kept rendered for anonymous readers until what it shows changes (fragments.py);
    ``{% cached_fragment "footer" site %}`` keeps one for the whole site."""
    bits = token.split_contents()
    if len(bits) not in (2, 3) or (len(bits) == 3 and bits[2] != "site"):
        raise template.TemplateSyntaxError('usage: {% cached_fragment "name" [site] %}')
    nodelist = parser.parse(("endcached_fragment",))
    parser.delete_first_token()
    return CachedFragmentNode(bits[1].strip("\"'"), len(bits) == 2, nodelist)


@register.simple_tag
def theme_static(path):
    """``{% theme_static 'css/site.css' %}``: a file of the active theme's static folder."""
    return theme_static_url(path)


@register.simple_tag
def theme_name():
    return current_theme()


@register.simple_tag(takes_context=True)
def home_sections(context, page):
    """``{% home_sections page as sections %}``: [(section, html)] from the plugins."""
    return rendered_home_sections(context.get("request"), page)


@register.simple_tag(takes_context=True)
def display_switch(context):
    """``{% display_switch as display %}``: the reader's 大字/高对比 modes, the classes for
    ``<html>`` and the links that toggle each mode and come back to this page."""
    from urllib.parse import urlencode

    from django.urls import reverse

    from ..accessibility import display_modes

    request = context.get("request")
    modes = display_modes(request)
    here = request.get_full_path() if request is not None else "/"
    base = reverse("display_switch")
    return {
        "classes": " ".join(f"mode-{mode}" for mode in modes),
        "large": "large" in modes,
        "contrast": "contrast" in modes,
        "large_url": f"{base}?{urlencode({'toggle': 'large', 'next': here})}",
        "contrast_url": f"{base}?{urlencode({'toggle': 'contrast', 'next': here})}",
    }


@register.simple_tag(takes_context=True)
def filing_settings(context):
    """``{% filing_settings as filing %}``: the site's 网站备案信息 (falsy when all blank)."""
    from wagtail.models import Site

    from ..models import FilingSettings

    request = context.get("request")
    site = Site.find_for_request(request) if request is not None else None
    if site is None:
        return None
    # Read, never create: for_request() would write a blank row on a visitor's request.
    return FilingSettings.objects.filter(site=site).first()


@register.simple_tag(takes_context=True)
def organisation_links(context, page):
    """``{% organisation_links page as links %}``: the organisation's 栏目 from the plugins."""
    return _organisation_links(context.get("request"), page)


def _description(page):
    # Plain-text fields as they are (escaped on output); rich text without its markup.
    for name in ("search_description", "lead", "summary"):
        value = getattr(page, name, "")
        if value and value.strip():
            return Truncator(" ".join(value.split())).chars(120)
    for name in ("intro", "preface"):
        value = getattr(page, name, "")
        text = " ".join(strip_tags(str(value or "")).split())
        if text:
            return Truncator(text).chars(120)
    return DEFAULT_DESCRIPTION


def _image(page):
    """The page's own picture: its cover, else the first photo of its gallery."""
    image = getattr(page, "cover_image", None)
    if image is None and hasattr(page, "gallery_images"):
        first = page.gallery_images.select_related("image").first()
        image = first.image if first else None
    return image


@register.simple_tag(takes_context=True)
def share_card(context):
    """Open Graph / canonical data for the page being rendered (WeChat reads og:*).

    Title: seo_title or title; description: search_description, else the lead, summary
    or intro; image: a 1200x630 rendition of the cover or first gallery photo, else the
    theme's share.png; canonical: the page's full URL (the path alone off the page tree).
    """
    request = context.get("request")
    page = context.get("page")
    card = {"type": "website", "site_name": "共建 · 区域化党建"}
    if page is not None and hasattr(page, "url_path"):
        card["title"] = page.seo_title or page.title
        card["description"] = _description(page)
        # From the request's host when there is one (right behind a proxy too).
        url = page.get_url(request)
        card["url"] = request.build_absolute_uri(url) if request else page.get_full_url()
        card["type"] = "website" if page.depth <= 2 else "article"
        image = _image(page)
        if image is not None:
            rendition = image.get_rendition(SHARE_RENDITION)
            card["image"] = rendition.url
            card["image_alt"] = image.title
    else:
        card["title"] = context.get("share_title") or "共建"
        card["description"] = DEFAULT_DESCRIPTION
        card["url"] = request.build_absolute_uri(request.path) if request else ""
    if "image" not in card:
        card["image"] = theme_static_url("img/share.png")
        card["image_alt"] = "共建 · 区域化党建"
    if request is not None and card["image"].startswith("/"):
        card["image"] = request.build_absolute_uri(card["image"])
    return card


@register.simple_tag(takes_context=True)
def breadcrumb_trail(context):
    """The live ancestors of the page below the tree root (the org page's context already
    has them as ``ancestors``; other pages pay one query)."""
    if "ancestors" in context:
        return context["ancestors"]
    page = context.get("page")
    if page is None or not hasattr(page, "get_ancestors"):
        return []
    return list(page.get_ancestors().filter(depth__gt=1).live())
