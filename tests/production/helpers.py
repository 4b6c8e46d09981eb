"""Helpers for driving real admin forms: read a rendered form back as POST data,
and build multipart bodies with file names a browser-like client would not send."""

import json
from html.parser import HTMLParser


class _FormParser(HTMLParser):
    def __init__(self, form_id):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.depth = 0
        self.data = {}
        self._textarea = None
        self._select = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            if attrs.get("id") == self.form_id or (self.form_id is None and not self.inside):
                self.inside = True
            if self.inside:
                self.depth += 1
            return
        if not self.inside:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in {"checkbox", "radio"}:
                if "checked" in attrs:
                    self.data[name] = attrs.get("value", "on")
            elif kind not in {"submit", "button", "file", "image"}:
                self.data[name] = attrs.get("value") or ""
        elif tag == "textarea" and name:
            self._textarea = name
            self.data[name] = ""
        elif tag == "select" and name:
            self._select = name
            self.data.setdefault(name, "")
        elif tag == "option" and self._select and "selected" in attrs:
            self.data[self._select] = attrs.get("value", "")

    def handle_endtag(self, tag):
        if tag == "form" and self.inside:
            self.depth -= 1
            if self.depth == 0:
                self.inside = False
        elif tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea] += data


def form_data(html, form_id=None):
    """The POST data a browser would send for the form ``form_id`` as rendered."""
    parser = _FormParser(form_id)
    parser.feed(html)
    return parser.data


def rich_text(*paragraphs, link=None):
    """Draftail contentstate: paragraphs of plain text, the first one linked to ``link``."""
    blocks, entities = [], {}
    for index, text in enumerate(paragraphs):
        ranges = []
        if link and index == 0:
            entities["0"] = {"type": "LINK", "mutability": "MUTABLE", "data": {"url": link}}
            ranges = [{"offset": 0, "length": len(text), "key": 0}]
        blocks.append({"key": f"b{index}", "type": "unstyled", "depth": 0, "text": text,
                       "inlineStyleRanges": [], "entityRanges": ranges, "data": {}})  # fmt: skip
    return json.dumps({"blocks": blocks, "entityMap": entities})


def multipart(fields, files, boundary="gongjianBoundary7MA4YWxk"):
    """(body, content type) with raw file names, unlike the test client's encoder."""
    lines = []
    for name, value in fields.items():
        lines += [f"--{boundary}", f'Content-Disposition: form-data; name="{name}"', "",
                  str(value)]  # fmt: skip
    body = "\r\n".join(lines).encode() + (b"\r\n" if lines else b"")
    for name, (filename, content, content_type) in files.items():
        head = (
            f"--{boundary}\r\n"
            f'Content-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
            f"Content-Type: {content_type}\r\n\r\n"
        )
        body += head.encode() + content + b"\r\n"
    body += f"--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"
