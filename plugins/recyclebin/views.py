"""Admin views of the recycle bin: the list of binned pages and the restore action."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from .models import BinEntry, RestoreError, restore, retention


class IndexView(WagtailAdminTemplateMixin, TemplateView):
    """Binned pages the user may restore, newest first."""

    template_name = "recyclebin/index.html"
    page_title = gettext_lazy("回收站")
    header_icon = "bin"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        entries = BinEntry.objects.select_related("page", "original_parent", "deleted_by")
        context["entries"] = [entry for entry in entries if entry.user_can_restore(user)]
        context["retention_days"] = retention().days
        return context


class RestoreView(View):
    """POST only: move one binned page back to where it was."""

    http_method_names = ["post"]

    def post(self, request, entry_id):
        entry = get_object_or_404(BinEntry.objects.select_related("page"), pk=entry_id)
        if not entry.user_can_restore(request.user):
            raise PermissionDenied
        try:
            page = restore(entry, user=request.user)
        except RestoreError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _("页面“%(title)s”已恢复到“%(parent)s”下。")
                % {"title": page.title, "parent": page.get_parent().title},
            )
        return redirect("recyclebin:index")
