"""Clear messages for workflow actions that cannot happen.

Task.on_action runs without the request, so it cannot add a message itself; it returns
the URL of the notice view instead, which Wagtail's action view redirects to."""

from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

MESSAGES = {
    "finished": _("该审核步骤已结束（%(detail)s），无需再操作。"),
}


def notice_url(kind, page, task_state=None):
    query = {"kind": kind, "page": page.pk}
    if task_state is not None:
        query["task_state"] = task_state.pk
    return f"{reverse('workflows:notice')}?{urlencode(query)}"
