"""The body blocks of every publicity page (activities, cases, compilation articles).

One definition so that a case copied into a compilation, an imported record and
an exported Word file all speak the same three block types.
"""

from django.utils.html import escape, strip_tags
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.images.blocks import ImageChooserBlock

PARAGRAPH_FEATURES = ["bold", "italic", "link", "ol", "ul"]


class CaptionedImageBlock(blocks.StructBlock):
    """An image with its alt text (required: residents read these pages with screen
    readers too) and an optional caption printed under it."""

    image = ImageChooserBlock(label=_("图片"))
    alt_text = blocks.CharBlock(
        label=_("替代文字"),
        max_length=255,
        help_text=_("必填：为视障读者描述图片内容"),
    )
    caption = blocks.CharBlock(label=_("图片说明"), required=False, max_length=255)

    class Meta:
        icon = "image"
        label = _("图片")
        template = "archive/blocks/captioned_image.html"


def body_blocks():
    """Fresh block instances for a page's ``body`` StreamField."""
    return [
        ("paragraph", blocks.RichTextBlock(label=_("段落"), features=PARAGRAPH_FEATURES)),
        ("image", CaptionedImageBlock()),
        ("quote", blocks.BlockQuoteBlock(label=_("引用"))),
    ]


def body_from_text(text):
    """Stream data for plain text: one paragraph block per non-empty line.

    Imported archives arrive as plain text; each line becomes its own paragraph so
    that exporting and importing again gives the same paragraphs back.
    """
    lines = [line.strip() for line in (text or "").splitlines()]
    return [{"type": "paragraph", "value": f"<p>{escape(line)}</p>"} for line in lines if line]


def html_to_text(html):
    """Plain text of a rich-text value, with paragraph and line breaks kept as newlines."""
    import html as html_lib
    import re

    html = re.sub(r"(?i)<br\s*/?>", "\n", str(html))
    html = re.sub(r"(?i)</(p|li|h\d|blockquote)>", "\n", html)
    text = html_lib.unescape(strip_tags(html))
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())


def body_items(body):
    """The body as plain items for exporters: ("paragraph", text), ("quote", text)
    and ("image", image, alt_text, caption), in order."""
    items = []
    for block in body:
        if block.block_type == "paragraph":
            for line in html_to_text(block.value.source).splitlines():
                items.append(("paragraph", line))
        elif block.block_type == "quote":
            if str(block.value).strip():
                items.append(("quote", str(block.value).strip()))
        elif block.block_type == "image" and block.value.get("image"):
            value = block.value
            items.append(("image", value["image"], value.get("alt_text"), value.get("caption")))
    return items


def body_text(body):
    """All text of a body, one paragraph a line (for comparisons and feeds)."""
    return "\n".join(item[1] for item in body_items(body) if item[0] != "image")
