"""``{% ledger_buttons view %}``: 从Excel导入 and 下载模板 on a record list that has a ledger."""

from django import template

from ..ledgers import ledger_for_model

register = template.Library()


@register.inclusion_tag("gongjian/includes/ledger_buttons.html", takes_context=True)
def ledger_buttons(context, view):
    """The buttons, for users who may import into the list (else nothing)."""
    ledger = ledger_for_model(view.model)
    user = context["request"].user
    return {"ledger": ledger if ledger is not None and ledger.can_import(user) else None}
