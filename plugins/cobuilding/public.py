"""Public pages: each community's 公示 board and the residents' needs form.

The board shows moderated needs, resources, projects with progress, and public
commitments (亮诺). It never shows phone numbers or addresses: only the fields listed
in the templates are read, and a need's contact phone is never passed to them.
"""

from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.csrf import csrf_protect

from gongjian_site import clock
from gongjian_site.pagecache import mark_view_cacheable
from gongjian_site.qrcodes import render_poster
from gongjian_site.ratelimit import over_limit
from plugins.orgs.models import CommunityPage

from .forms import NeedSubmissionForm
from .models import (
    PUBLIC_NEED_STATUSES,
    Category,
    Commitment,
    Need,
    NeedStatus,
    Project,
    ProjectStatus,
    Resource,
    ResourceStatus,
)

#: Needs one address may send in per window (a per-IP limit kept in the cache).
NEED_FORM_LIMIT = 5
NEED_FORM_WINDOW = 60 * 60


def community_for(slug):
    community = CommunityPage.objects.live().public().filter(slug=slug).order_by("path").first()
    if community is None:
        raise Http404
    return community


def board_url(community):
    return reverse("cobuilding_public:board", args=[community.slug])


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


STATUS_FILTERS = {
    # the board's one status filter, read by each list in its own vocabulary
    "open": ({NeedStatus.OPEN}, {ResourceStatus.OPEN}, {ProjectStatus.PLANNED}),
    "active": ({NeedStatus.CLAIMED, NeedStatus.IN_PROGRESS}, {ResourceStatus.MATCHED},
               {ProjectStatus.ACTIVE}),
    "done": ({NeedStatus.DONE}, set(), {ProjectStatus.DONE}),
}  # fmt: skip
STATUS_LABELS = {"open": "待认领 / 未开始", "active": "实施中", "done": "已完成"}


def board(request, slug):
    """A community's 公示 board: kept by the page cache like the community's page (it is
    public: community_for reads only public communities), cleared by a change of the
    community, the pages above it or a list's table."""
    community = community_for(slug)
    mark_view_cacheable(request, community)
    needs = Need.objects.filter(community=community, status__in=PUBLIC_NEED_STATUSES)
    resources = Resource.objects.filter(community=community).exclude(
        status=ResourceStatus.WITHDRAWN
    )
    projects = Project.objects.filter(community=community)
    commitments = Commitment.objects.filter(community=community, is_public=True)
    # The years of the three lists in one query (the board's only one before its lists).
    years = sorted(
        set(needs.order_by().values_list("year", flat=True).union(
            projects.order_by().values_list("year", flat=True),
            resources.order_by().values_list("year", flat=True),
        )), reverse=True,
    )  # fmt: skip
    year = _int(request.GET.get("year"))
    if year is None or year not in years:
        year = years[0] if years else clock.today().year
    status = request.GET.get("status") or ""
    category = request.GET.get("category") or ""
    needs, resources = needs.filter(year=year), resources.filter(year=year)
    projects, commitments = projects.filter(year=year), commitments.filter(year=year)
    if status in STATUS_FILTERS:
        need_s, resource_s, project_s = STATUS_FILTERS[status]
        needs = needs.filter(status__in=need_s)
        resources = resources.filter(status__in=resource_s)
        projects = projects.filter(status__in=project_s)
    else:
        status = ""
    if category in Category.values:
        needs, resources = needs.filter(category=category), resources.filter(category=category)
        projects = projects.filter(resources__category=category).distinct()
    else:
        category = ""
    context = {
        "page": community,
        "community": community,
        "title": f"{community.title} 三个清单公示",
        "needs": needs.order_by("-raised_on", "pk"),
        "resources": resources.select_related("unit").order_by("unit__title", "pk"),
        "projects": projects.select_related("unit").order_by("status", "target_date", "pk"),
        "commitments": commitments.select_related("unit")
        .annotate(fulfilment_count=Count("fulfilments"))
        .order_by("unit__title", "pk"),
        "years": years or [year],
        "year": year,
        "status": status,
        "status_choices": STATUS_LABELS.items(),
        "category": category,
        "categories": Category.choices,
        "needs_form_url": f"{board_url(community)}submit/",
        "board_url": board_url(community),
        "poster_url": reverse("cobuilding_public:board_poster", args=[community.slug]),
    }
    return TemplateResponse(request, "cobuilding/board.html", context)


def _rate_limited(request):
    """Count this submission for the client's address; True past the limit."""
    return over_limit(request, "cobuilding-needs", NEED_FORM_LIMIT, NEED_FORM_WINDOW)


@csrf_protect
def submit_need(request, slug):
    community = community_for(slug)
    form = NeedSubmissionForm(request.POST or None)
    status = 200
    limited = False
    if request.method == "POST":
        if _rate_limited(request):  # counts every attempt, honeypot hits included
            limited = True
            status = 429
        elif form.is_spam:
            # Look like a success so the bot learns nothing; nothing is stored.
            return redirect(f"{board_url(community)}submit/?sent=1")
        elif form.is_valid():
            form.save(community, clock.today().year)
            return redirect(f"{board_url(community)}submit/?sent=1")
        else:
            status = 400
    context = {
        "page": community,
        "community": community,
        "title": "提交需求",
        "form": form,
        "limited": limited,
        "sent": request.method == "GET" and request.GET.get("sent") == "1",
        "board_url": board_url(community),
        "form_url": reverse("cobuilding_public:submit_need", args=[community.slug]),
        "poster_url": reverse("cobuilding_public:need_form_poster", args=[community.slug]),
    }
    return TemplateResponse(request, "cobuilding/submit_need.html", context, status=status)


def board_poster(request, slug):
    """A4 poster of the board's QR code, for the community's notice board (公示栏)."""
    community = community_for(slug)
    url = board_url(community)
    return render_poster(
        request,
        heading="三个清单公示",
        organisation=community.title,
        subtitle="需求清单 · 资源清单 · 项目清单",
        target_url=url,
        caption="扫码查看三个清单",
        steps=[
            "用手机微信或相机扫描上方二维码。",
            "查看本社区本年度的需求、资源、共建项目及进展，以及驻区单位的共建承诺。",
            "有需求可在页面上点“我要提需求”提交，社区审核后公示。",
        ],
        note="欢迎党员群众监督。",
        back_url=url,
        back_label="三个清单公示",
    )


def need_form_poster(request, slug):
    """A4 poster of the needs form's QR code: residents send needs from their phone."""
    community = community_for(slug)
    url = reverse("cobuilding_public:submit_need", args=[community.slug])
    return render_poster(
        request,
        heading="扫码提需求",
        organisation=community.title,
        subtitle="居民群众需求征集",
        target_url=url,
        caption="扫码提交需求",
        steps=[
            "用手机微信或相机扫描上方二维码。",
            "填写需求内容、类别和称呼；联系电话选填，仅供社区回访，不会公开。",
            "社区审核后，需求将在三个清单公示中公开，并由驻区单位认领。",
        ],
        back_url=url,
        back_label="需求提交页面",
    )


def home_section_context(home_page, limit=5):
    """Open needs and recent projects of the communities under ``home_page``."""
    communities = CommunityPage.objects.live().public().descendant_of(home_page)
    needs = (
        Need.objects.filter(community__in=communities, status=NeedStatus.OPEN)
        .select_related("community")
        .order_by("-raised_on", "-pk")[:limit]
    )
    projects = (
        Project.objects.filter(community__in=communities)
        .exclude(status=ProjectStatus.SUSPENDED)
        .select_related("community", "unit")
        .order_by("-year", "status", "-pk")[:limit]
    )
    return {"needs": list(needs), "projects": list(projects)}
