"""Demo profile of the workflows plugin: reviewers for every step, a demo term list.

secretary_b reviews community B (光明), secretary_street the street 新华街道 and orgdept
the district 江北区 (区委组织部, final approval of cases). Idempotent.
"""

from plugins.access.api import grant_role
from plugins.orgs.api import demo_user
from plugins.orgs.models import CommunityPage, DistrictPage, StreetPage

from .defaults import attach_defaults
from .models import ReviewTerm, TermKind

REVIEWERS = [
    # username, family name, given name, page model, slug
    ("secretary_b", "赵", "丽", CommunityPage, "guangming"),
    ("secretary_street", "周", "强", StreetPage, "xinhua"),
    ("orgdept", "吴", "敏", DistrictPage, "jiangbei"),
]

#: Invented entries showing the format; a real list is kept by the editors in the admin.
TERMS = [
    ("江北区工委", TermKind.OUTDATED, "中共江北区委", "演示条目：机构旧称，应使用规范全称"),
    ("演示敏感词", TermKind.SENSITIVE, "", "演示条目：真实词表由编辑在“审核词表”中维护"),
]


def load_demo(stdout):
    for username, family, given, model, slug in REVIEWERS:
        page = model.objects.filter(slug=slug).first()
        user = demo_user(username, family, given, role=f"{page.title if page else slug}审核人")
        if page is not None:
            grant_role(page, user, "reviewer")
    for term, kind, replacement, note in TERMS:
        ReviewTerm.objects.get_or_create(
            term=term, defaults={"kind": kind, "replacement": replacement, "note": note}
        )
    attach_defaults()  # the demo units and case indexes arrived after setup()
    stdout.write(
        "  审核流程：单位信息更新、典型案例发布、会议纪要公示；secretary_b 审核光明社区，"
        "secretary_street 审核新华街道，orgdept 区委终审"
    )
