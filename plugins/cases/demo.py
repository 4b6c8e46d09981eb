"""Demo typical cases in the 江北 district (idempotent by source id)."""

from datetime import date

from plugins.archive.api import body_from_text, publish_fields
from plugins.orgs.models import OrganisationPage

from .models import CasePage
from .setup import setup

DEMO = [
    ("demo-case-1", "xingfuli", "“大党委”议事会让共建从签约走向履约", date(2025, 6, 18),
     ["jiangan-no1-hospital", "jiangan-no12-middle-school"], ["大党委", "议事"], True, True),
    ("demo-case-2", "guangming", "两新组织结对共建：华信科技的“红色引擎”", date(2025, 8, 3),
     ["huaxin-tech"], ["两新组织", "结对共建"], True, False),
    ("demo-case-3", "xinhua", "兼职委员述职测评的新华做法", date(2024, 12, 20),
     ["jiangbei-market-regulation"], ["兼职委员", "述职"], False, True),
]  # fmt: skip


def load_demo(stdout):
    setup()  # the districts did not exist yet when setup_site ran
    made = 0
    for source_id, parent_slug, title, when, org_slugs, tags, recommended, featured in DEMO:
        if CasePage.objects.filter(source_id=source_id).exists():
            continue
        parent = OrganisationPage.objects.filter(slug=parent_slug).order_by("path").first()
        if parent is None:
            continue
        page = CasePage(
            title=title, source_id=source_id, date=when, recommended=recommended,
            featured=featured, author="江北区委宣传干事", source="江北区委组织部",
            lead=f"{parent.title}的经验做法。",
            body=body_from_text(
                f"{title}。\n一是建立机制，明确责任。\n二是整合资源，共驻共建。\n三是服务群众，共享成果。"
            ),
            **publish_fields(),
        )  # fmt: skip
        page.tags.set(tags)
        page.organisations = list(
            OrganisationPage.objects.filter(slug__in=[parent_slug, *org_slugs])
        )
        parent.add_child(instance=page)
        made += 1
    stdout.write(f"  典型案例：新建 {made} 条")
