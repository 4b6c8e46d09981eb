"""Demo three lists for 幸福里 (community A) and its units (idempotent by title).

A few needs (one still waiting for moderation), the hospital's and the school's
resources, a claim of the hospital accepted into a project with progress, a pending
claim, and the hospital's agreement with commitments, a fulfilment and a score.
"""

from datetime import date

from django.contrib.auth import get_user_model

from gongjian_site import clock
from plugins.orgs.models import CommunityPage, ResidentUnitPage

from .models import (
    Agreement,
    Category,
    Claim,
    ClaimKind,
    ClaimStatus,
    Commitment,
    CommitmentParty,
    Fulfilment,
    Need,
    NeedSource,
    NeedStatus,
    ProgressUpdate,
    Resource,
)
from .record_actions import accept_claim
from .setup import setup

NEEDS = [
    # title, category, raised by, status, source, description
    ("老年人健康义诊", Category.MEDICAL, "幸福里第一网格", NeedStatus.OPEN, NeedSource.COMMUNITY,
     "辖区 60 岁以上老人约 800 人，希望每季度开展一次义诊和健康讲座。"),
    ("青少年暑期托管", Category.EDUCATION, "3号楼党群微家", NeedStatus.OPEN, NeedSource.COMMUNITY,
     "双职工家庭孩子暑期无人照看，希望提供课业辅导和安全教育。"),
    ("小区路灯维修", Category.ADMINISTRATIVE, "幸福里第二网格", NeedStatus.OPEN,
     NeedSource.COMMUNITY, "5 号楼至 8 号楼之间路灯损坏，夜间出行不便。"),
    ("增设电动车充电桩", Category.VENUE, "6号楼居民", NeedStatus.PENDING, NeedSource.RESIDENT,
     "楼道充电存在安全隐患，希望在小区内增设集中充电桩。"),
]  # fmt: skip

RESOURCES = [
    # unit slug, title, category, capacity, frequency, description
    ("jiangan-no1-hospital", "专家义诊进社区", Category.MEDICAL, "每次 100 人", "每季度一次",
     "内科、眼科、骨科专家团队到社区开展义诊和健康咨询。"),
    ("jiangan-no1-hospital", "急救知识培训", Category.EDUCATION, "每次 40 人", "每半年一次",
     "心肺复苏、外伤包扎等急救技能培训。"),
    ("jiangan-no12-middle-school", "学校操场周末开放", Category.VENUE, "约 300 人", "每周末",
     "周末向社区居民开放操场和篮球场。"),
]  # fmt: skip


def load_demo(stdout):
    setup()
    community = CommunityPage.objects.filter(slug="xingfuli").first()
    units = {u.slug: u for u in ResidentUnitPage.objects.filter(
        slug__in=["jiangan-no1-hospital", "jiangan-no12-middle-school"])}  # fmt: skip
    if community is None or len(units) < 2:
        stdout.write("  共建清单：未找到幸福里社区或其驻区单位，跳过")
        return
    year = clock.today().year
    User = get_user_model()
    secretary = User.objects.filter(username="secretary_a").first()
    member = User.objects.filter(username="member_a").first()
    hospital = units["jiangan-no1-hospital"]

    needs = {}
    for title, category, raised_by, status, source, description in NEEDS:
        needs[title], _created = Need.objects.get_or_create(
            community=community, title=title,
            defaults={"year": year, "category": category, "raised_by": raised_by,
                      "status": status, "source": source, "description": description,
                      "raised_on": date(year, 1, 15)},
        )  # fmt: skip
    resources = {}
    for slug, title, category, capacity, frequency, description in RESOURCES:
        resources[title], _created = Resource.objects.get_or_create(
            community=community, unit=units[slug], title=title,
            defaults={"year": year, "category": category, "capacity": capacity,
                      "frequency": frequency, "description": description},
        )  # fmt: skip

    need = needs["老年人健康义诊"]
    if not Claim.objects.filter(need=need).exists():
        claim = Claim.objects.create(
            kind=ClaimKind.NEED, community=community, year=year, unit=hospital, need=need,
            plan="由医院党委组织专家团队每季度进社区义诊一次。", claimed_by=member,
        )  # fmt: skip
        project = accept_claim(claim, secretary, "“健康幸福里”季度义诊", date(year, 12, 31))
        project.resources.add(resources["专家义诊进社区"])
        for when, percent, note in [
            (date(year, 3, 20), 25, "第一季度义诊完成，服务 96 人"),
            (date(year, 6, 18), 50, "第二季度义诊完成，服务 112 人"),
        ]:
            ProgressUpdate.objects.create(project=project, date=when, percent=percent, note=note,
                                          author=member)  # fmt: skip
        project.refresh_progress()
    school_resource = resources["学校操场周末开放"]
    if not Claim.objects.filter(resource=school_resource).exists():
        Claim.objects.create(
            kind=ClaimKind.RESOURCE, community=community, year=year,
            unit=school_resource.unit, resource=school_resource, status=ClaimStatus.PENDING,
            plan="用于社区周末全民健身活动。", claimed_by=secretary,
        )  # fmt: skip

    agreement, created = Agreement.objects.get_or_create(
        community=community, unit=hospital, year=year,
        defaults={"community_representative": "王芳", "unit_representative": "李建国",
                  "community_liaison": "赵敏", "unit_liaison": "陈磊",
                  "signed_on": date(year, 2, 1), "valid_from": date(year, 2, 1),
                  "valid_until": date(year + 2, 1, 31)},
    )  # fmt: skip
    if created:
        promises = [
            (CommitmentParty.UNIT, "每季度组织一次专家义诊进社区", date(year, 12, 31)),
            (CommitmentParty.UNIT, "推动在职党员到社区报到，认领服务岗位", date(year, 6, 30)),
            (CommitmentParty.COMMUNITY, "为医院志愿服务提供场地和居民组织", date(year, 12, 31)),
        ]
        made = [Commitment.objects.create(agreement=agreement, party=party, content=content,
                                          due_on=due, year=year)
                for party, content, due in promises]  # fmt: skip
        Fulfilment.objects.create(commitment=made[0], date=date(year, 3, 20),
                                  description="第一季度义诊，服务居民 96 人",
                                  evidence_note="活动记录、签到表")  # fmt: skip
        Fulfilment.objects.create(commitment=made[1], date=date(year, 4, 10),
                                  description="32 名在职党员到社区报到",
                                  evidence_note="报到登记表")  # fmt: skip
        made[1].score, made[1].score_comment = 92, "报到率高，服务岗位落实到人"
        made[1].scored_by, made[1].scored_on = secretary, date(year, 6, 30)
        made[1].save()
    stdout.write(f"  共建清单：幸福里 {Need.objects.filter(community=community).count()} 项需求、"
                 f"{Resource.objects.filter(community=community).count()} 项资源、"
                 f"{Claim.objects.filter(community=community).count()} 条认领")  # fmt: skip
