"""Clear messages for workflow actions that cannot happen.

Task.on_action runs without the request, so it cannot add a message itself; it returns
the URL of the notice view instead, which Wagtail's action view redirects to."""

from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

MESSAGES = {
    "finished": _("该审核步骤已结束（%(detail)s），无需再操作。"),
    # The detail is the pre-publish check's findings on the page's latest revision.
    "blocked": _("未审核通过：审核通过将发布此页面，但发布前检查发现需要修改的词语。%(detail)s"),
    # The detail is what happened and what comes next (feedback.after_action_message).
    "done": "%(detail)s",
}


def notice_url(kind, page, task_state=None):
    query = {"kind": kind, "page": page.pk}
    if task_state is not None:
        query["task_state"] = task_state.pk
    return f"{reverse('workflows:notice')}?{urlencode(query)}"
