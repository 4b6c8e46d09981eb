"""Public views: the 报到登记 page of a community and its three forms.

They live at /baodao/<community slug>/ (outside the page tree, like the activity
feeds, so no page slug can shadow them) and each community page links to them.
Nothing here shows a phone number or a home address: the forms echo back only what
the person is typing on a failed submission, and the 公示 list names units only.
"""

from django.apps import apps
from django.contrib import messages
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from gongjian_site.qrcodes import render_poster
from plugins.orgs.models import CommunityPage

from . import spam
from .models import MemberCheckIn, ServicePost, Status, UnitCheckIn
from .services import save_unit_registration
from .tables import TABLES


def get_community(slug):
    """The live community page with this slug (the first in tree order), or 404.

    Pages in the recycle bin are not live to the public (the bin unpublishes them)."""
    community = CommunityPage.objects.live().filter(slug=slug).order_by("path").first()
    if community is None:
        raise Http404(_("没有找到这个社区"))
    if not apps.is_installed("plugins.recyclebin"):
        return community  # the bin is optional (INSTALLED_PLUGINS)
    from plugins.recyclebin.models import is_in_bin  # lazy: only when it is installed

    if is_in_bin(community):
        raise Http404(_("没有找到这个社区"))
    return community


def community_index(request, community_slug):
    """The community's 报到登记 page: the three forms and who has checked in (公示)."""
    community = get_community(community_slug)
    units = (
        UnitCheckIn.objects.filter(community=community, status=Status.APPROVED)
        .only("unit_name", "party_organisation", "submitted_at")
        .order_by("unit_name")
    )
    posts = dict(
        MemberCheckIn.objects.filter(community=community, status=Status.APPROVED)
        .values_list("service_post")
        .annotate(n=Count("pk"))
    )
    post_counts = [(label, posts.get(value, 0)) for value, label in ServicePost.choices]
    return render(request, "registrations/community_index.html", {
        "community": community, "tables": TABLES.values(), "checked_in_units": units,
        "post_counts": post_counts, "member_total": sum(posts.values()),
        "index_url": reverse("registrations:index", args=[community.slug]),
        "poster_url": reverse("registrations:index_poster", args=[community.slug]),
    })  # fmt: skip


@never_cache
def registration_form(request, community_slug, table_key):
    """One public form: validate, defend against spam, save or update, then thank."""
    community = get_community(community_slug)
    table = TABLES.get(table_key)
    if table is None:
        raise Http404(_("没有这种登记表"))
    status = 200
    if request.method == "POST":
        form = table.form_class(request.POST)
        if spam.over_limit(request):
            form.is_valid()  # keep the typed values and show their errors too
            form.add_error(None, _("提交过于频繁，请稍后再试。您填写的内容已保留。"))
            status = 429
        elif form.is_spam():
            # Said the same as a success, so a bot learns nothing.
            return redirect("registrations:done", community_slug=community.slug)
        elif form.is_valid():
            _save(request, table, community, form)
            return redirect("registrations:done", community_slug=community.slug)
    else:
        form = table.form_class()
    return render(request, "registrations/form.html", {
        "community": community, "table": table, "form": form,
        "index_url": reverse("registrations:index", args=[community.slug]),
        "form_url": reverse("registrations:form", args=[community.slug, table.key]),
        "poster_url": reverse("registrations:form_poster", args=[community.slug, table.key]),
    }, status=status)  # fmt: skip


def _save(request, table, community, form):
    if table.is_unit_table:
        data = {name: form.cleaned_data[name] for name in form._meta.fields}
        saved, created = save_unit_registration(table.model, community, data)
        if created:
            messages.success(request, _("%(unit)s的《%(table)s》已提交，社区审核后生效。")
                             % {"unit": saved.unit_name, "table": table.title})  # fmt: skip
        else:
            # Names only what the visitor typed: the stored record is not theirs to read.
            messages.success(request, _(
                "统一社会信用代码 %(code)s 的单位已在本社区登记，未重复登记。"
                "本次提交已作为变更申请（%(unit)s）转社区审核人员核对，"
                "采纳前原登记信息保持不变。"
            ) % {"code": data["credit_code"], "unit": data["unit_name"]})  # fmt: skip
    else:
        record = form.save(commit=False)
        record.community = community
        record.save()
        messages.success(request, _("%(name)s同志，您的报到登记已提交，社区审核后会与您联系。")
                         % {"name": record.name})  # fmt: skip


@never_cache
def done(request, community_slug):
    community = get_community(community_slug)
    return render(request, "registrations/done.html", {
        "community": community,
        "index_url": reverse("registrations:index", args=[community.slug]),
    })  # fmt: skip


def index_poster(request, community_slug):
    """A4 poster of the 报到登记 page's QR code (all three forms), for the community."""
    community = get_community(community_slug)
    url = reverse("registrations:index", args=[community.slug])
    return render_poster(
        request,
        heading=_("报到登记"),
        organisation=community.title,
        subtitle=" · ".join(str(table.title) for table in TABLES.values()),
        target_url=url,
        caption=_("扫码报到登记"),
        steps=[
            _("用手机微信或相机扫描上方二维码。"),
            _("驻区单位党组织选择“报到登记表”或“摸排登记表”；在职党员选择“在职党员报到”。"),
            _("按表填写后提交，社区审核后生效。联系电话和家庭住址不会公开。"),
        ],
        back_url=url,
        back_label=_("报到登记"),
    )


def form_poster(request, community_slug, table_key):
    """A4 poster of one form's QR code (e.g. 在职党员报到 in a residential building)."""
    community = get_community(community_slug)
    table = TABLES.get(table_key)
    if table is None:
        raise Http404(_("没有这种登记表"))
    url = reverse("registrations:form", args=[community.slug, table.key])
    return render_poster(
        request,
        heading=str(table.title),
        organisation=community.title,
        subtitle=str(table.intro),
        target_url=url,
        caption=_("扫码填写"),
        steps=[
            _("用手机微信或相机扫描上方二维码。"),
            _("按提示填写，带 * 的为必填项；填错的项目会标出，已填内容会保留。"),
            _("提交后社区审核，审核通过即完成登记。联系电话和家庭住址不会公开。"),
        ],
        back_url=url,
        back_label=str(table.title),
    )
