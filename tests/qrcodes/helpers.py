"""Reading back the QR codes a page renders, for the tests of every page that shows one.

No QR decoder is installed, so the check is one level below: the SVG path segno draws
is turned back into the grid of dark modules it paints, and that grid must be the one
segno computes for the expected address. A code of any other address (another host,
path or scheme) paints a different grid, so this fails on a wrong URL.
"""

import re
import xml.etree.ElementTree as ET

import segno

SVG_NS = "{http://www.w3.org/2000/svg}"
SVG_RE = re.compile(r'<svg[^>]*class="qr-code__svg".*?</svg>', re.DOTALL)
PATH_STEP = re.compile(r"([Mmh])\s*(-?\d+(?:\.\d+)?)(?:\s+(-?\d+(?:\.\d+)?))?")
BORDER = 4


def qr_svgs(html):
    """Every QR ``<svg>`` element of ``html``, each parsed as XML (so each is valid)."""
    return [ET.fromstring(markup) for markup in SVG_RE.findall(html)]


def painted_modules(svg):
    """The set of (column, row) modules the SVG's path paints dark."""
    path = svg.find(f"{SVG_NS}path")
    assert path is not None, "QR SVG has no path"
    x = y = 0.0
    dark = set()
    for command, first, second in PATH_STEP.findall(path.get("d")):
        if command == "M":
            x, y = float(first), float(second)
        elif command == "m":
            x, y = x + float(first), y + float(second)
        else:  # h: a horizontal run of dark modules on the row of y
            run = int(float(first))
            dark |= {(int(x) + i, int(y)) for i in range(run)}
            x += run
    return dark


def expected_modules(url):
    """The dark modules segno computes for ``url`` (quiet zone included)."""
    code = segno.make(url, error="m", micro=False, boost_error=False)
    return {
        (col + BORDER, row + BORDER)
        for row, line in enumerate(code.matrix)
        for col, value in enumerate(line)
        if value
    }


def encodes(svg, url):
    return painted_modules(svg) == expected_modules(url)


def assert_qr(html, url):
    """``html`` shows a valid QR SVG of exactly ``url``, sized by its viewBox."""
    svgs = qr_svgs(html)
    assert svgs, "no QR code on the page"
    matching = [svg for svg in svgs if encodes(svg, url)]
    assert matching, f"no QR code of {url} (codes found: {len(svgs)})"
    svg = matching[0]
    assert svg.tag == f"{SVG_NS}svg"
    size = segno.make(url, error="m", micro=False).symbol_size(scale=1, border=BORDER)[0]
    assert svg.get("viewBox") == f"0 0 {size} {size}"
    assert "style" not in svg.attrib and svg.find(f"{SVG_NS}path").get("style") is None
    return svg
