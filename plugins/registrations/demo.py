"""Demo registrations for community A (幸福里社区): one for each table and a pending one.

Invented units and people; the credit codes are made valid with the GB 32100-2015
check character, and the mobile numbers are in a range no real subscriber has.
Idempotent: records are looked up by credit code / name before being created.
"""

from plugins.orgs.models import CommunityPage, ResidentUnitPage, UnitKind

from .models import MemberCheckIn, PartyOrgType, ServicePost, Status, UnitCheckIn, UnitSurvey
from .validators import credit_code_check_char


def demo_code(first17):
    return first17 + credit_code_check_char(first17)


HOSPITAL_CODE = demo_code("12360100MB1234567")
BAKERY_CODE = demo_code("91360100MA3ABCDE1")


def load_demo(stdout):
    community = CommunityPage.objects.filter(slug="xingfuli").first()
    if community is None:
        return
    hospital = ResidentUnitPage.objects.filter(slug="jiangan-no1-hospital").first()
    UnitSurvey.objects.get_or_create(community=community, credit_code=HOSPITAL_CODE, defaults={
        "unit": hospital, "unit_name": hospital.title if hospital else "江安市第一人民医院",
        "kind": UnitKind.HOSPITAL, "address": "江安市幸福里路 1 号",
        "party_organisation": "中共江安市第一人民医院委员会", "secretary_name": "赵立新",
        "party_member_count": 210, "contact_name": "王建国", "contact_phone": "19900001001",
        "resources": "义诊、健康讲座、急救培训；会议室可预约使用", "status": Status.APPROVED,
    })  # fmt: skip
    UnitCheckIn.objects.get_or_create(community=community, credit_code=HOSPITAL_CODE, defaults={
        "unit": hospital, "unit_name": hospital.title if hospital else "江安市第一人民医院",
        "party_organisation": "中共江安市第一人民医院委员会", "org_type": PartyOrgType.COMMITTEE,
        "secretary_name": "赵立新", "party_member_count": 210, "liaison_name": "王建国",
        "liaison_phone": "19900001001", "intentions": "认领“健康进社区”服务项目，每月一次义诊",
        "status": Status.APPROVED,
    })  # fmt: skip
    UnitSurvey.objects.get_or_create(community=community, credit_code=BAKERY_CODE, defaults={
        "unit_name": "幸福里烘焙坊有限公司", "kind": UnitKind.PRIVATE_FIRM,
        "address": "江安市幸福里路 88 号底商", "party_organisation": "幸福里商圈联合党支部",
        "secretary_name": "李红", "party_member_count": 3, "contact_name": "李红",
        "contact_phone": "19900001002", "resources": "节日为独居老人送糕点",
    })  # fmt: skip
    members = [
        ("周敏", "中共江安市税务局第二支部委员会", "江安市税务局", ServicePost.PUBLIC_AFFAIRS,
         "19900002001", "幸福里小区 3 栋 2 单元 501", Status.APPROVED),
        ("吴涛", "中共江安市第十二中学支部委员会", "江安市第十二中学", ServicePost.MORAL_EDUCATION,
         "19900002002", "幸福里小区 7 栋 1 单元 302", Status.PENDING),
    ]  # fmt: skip
    for name, org, workplace, post, mobile, address, status in members:
        MemberCheckIn.objects.get_or_create(community=community, name=name, defaults={
            "party_organisation": org, "workplace": workplace, "service_post": post,
            "mobile": mobile, "home_address": address, "status": status,
        })  # fmt: skip
    stdout.write("报到登记：幸福里社区 3 条单位登记、2 条在职党员报到（演示）\n")
