"""``{% qr_code url %}``: a QR code of a page's address as inline SVG, with a caption.

Templates pass a path (``/gongshi/xingfuli/``) or a full address; the tag makes it
absolute on the reader's host, because a scanned code has no page to be relative to.
"""

from django import template
from django.template.loader import render_to_string

from ..qrcodes import absolute_url, qr_svg

register = template.Library()

SIZES = ("small", "poster")


@register.simple_tag(takes_context=True)
def qr_code(context, url, caption="", size="small", poster_url=""):
    """A ``<figure>`` with the code of ``url``, the caption under it and, when given, a
    link to the printable poster (打印海报). ``size`` is a class: small on a page,
    poster on an A4 sheet. Without a request in the context (an e-mail, a test
    rendering a bare template) there is no host to build the address from: nothing."""
    request = context.get("request")
    if request is None or not url:
        return ""
    full = absolute_url(request, url)
    return render_to_string(
        "gongjian/qr/qr_code.html",
        {
            "svg": qr_svg(full, title=caption or "二维码"),
            "url": full,
            "caption": caption,
            "size": size if size in SIZES else "small",
            "poster_url": poster_url,
        },
    )


@register.simple_tag(takes_context=True)
def full_url(context, url):
    """The absolute address of ``url`` on the reader's host (posters print it as text,
    for a phone whose camera cannot read the code)."""
    request = context.get("request")
    return absolute_url(request, url) if request is not None else url
