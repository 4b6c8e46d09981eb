"""``{% wechat_share as share %}``: the page's share card for WeChat, when sharing is on."""

from django import template

from .. import wechat
from .gongjian_tags import share_card

register = template.Library()


@register.simple_tag(takes_context=True)
def wechat_share(context):
    """The same card as the page's og: tags (title, description, absolute image and
    canonical URL: one source), or None when WeChat sharing is not configured, so an
    unconfigured site renders and requests nothing."""
    if not wechat.enabled():
        return None
    return share_card(context)
