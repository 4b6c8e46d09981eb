"""QR codes as inline SVG markup, for pages residents open on a phone and posters that
are printed and put up in the community.

Why inline SVG: the public Content-Security-Policy (security.py) allows no inline
script or style and no ``data:`` images would be needed for a ``<svg>`` in the page
itself; an SVG scales to any print size without blurring, and costs no request. The
codes are drawn by segno (pure Python, kept up to date, no image library).

Why absolute URLs built from the request's host: a phone that scans the code knows
nothing about the page it was printed from, so the code must carry scheme and host;
and the host is the one the reader used (a site may answer on several), which the page
cache keys its entries by as well.
"""

import io
from functools import lru_cache
from urllib.parse import urlsplit

import segno
from django.utils.safestring import mark_safe

#: Error correction M (15% of the code may be damaged): posters get scuffed and
#: creased; H would make the code denser without helping a phone's camera much.
ERROR_LEVEL = "m"
#: The quiet zone segno draws around the code (four modules, as the standard asks).
BORDER = 4


class NotAbsoluteURL(ValueError):
    """A QR code must carry a full address (scheme and host), or a phone cannot open it."""


def make(url):
    """The segno QR code of ``url`` (never a Micro QR code: phones read those poorly)."""
    return segno.make(url, error=ERROR_LEVEL, micro=False, boost_error=False)


@lru_cache(maxsize=1024)
def _svg(url, title):
    buffer = io.BytesIO()
    make(url).save(
        buffer,
        kind="svg",
        xmldecl=False,
        svgns=True,
        nl=False,
        border=BORDER,
        # Unit-sized modules: the viewBox is the code's size in modules and CSS sizes it.
        scale=1,
        omitsize=True,
        svgclass="qr-code__svg",
        lineclass="qr-code__modules",
        title=title or None,
        encoding="utf-8",
    )
    return buffer.getvalue().decode("utf-8")


def qr_svg(url, title=""):
    """Safe inline ``<svg>`` markup of the QR code of the absolute ``url``.

    ``title`` becomes the SVG's ``<title>`` (its accessible name; segno escapes it).
    No ``style`` attribute and no script, so the strict policy holds; the size comes
    from the classes in the stylesheet. Cached per (url, title): the same board is
    drawn for every reader."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise NotAbsoluteURL(url)
    return mark_safe(_svg(url, str(title)))


def absolute_url(request, path_or_url):
    """``path_or_url`` as the full address a phone can open, on the host the reader
    used (``request.build_absolute_uri`` also honours the TLS proxy's scheme)."""
    return request.build_absolute_uri(path_or_url)


def symbol_size(url):
    """The code's width in modules, quiet zone included (the SVG's viewBox size)."""
    width, _height = make(url).symbol_size(scale=1, border=BORDER)
    return width


def render_poster(request, *, heading, organisation, target_url, caption, steps,
                  back_url, back_label, subtitle="", note="", status=200):  # fmt: skip
    """A printable A4 poster (HTML with ``@page { size: A4 }``): the organisation, a big
    title, a big code of ``target_url``, the address in text for a camera that cannot
    read it, and short steps. One template for every kind, so each plugin states only
    what its poster says."""
    from django.template.response import TemplateResponse

    context = {
        "heading": heading,
        "organisation": organisation,
        "target_url": target_url,
        "caption": caption,
        "steps": steps,
        "back_url": back_url,
        "back_label": back_label,
        "subtitle": subtitle,
        "note": note,
    }
    return TemplateResponse(request, "gongjian/qr/poster.html", context, status=status)
