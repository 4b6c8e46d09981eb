"""Demo activities in 幸福里 and 光明 communities (idempotent by source id)."""

from datetime import date

from plugins.archive.api import body_from_text, publish_fields
from plugins.orgs.models import OrganisationPage, ResidentUnitPage

from .models import ActivityKind, ActivityPage
from .setup import setup

DEMO = [
    # source id, parent url path tail, title, date, kind, units, count, tags
    ("demo-activity-1", "xingfuli", "幸福里社区大党委七月主题党日", date(2025, 7, 1), "主题党日",
     ["jiangan-no1-hospital"], 46, ["主题党日", "党史学习"]),
    ("demo-activity-2", "xingfuli", "第一人民医院进社区义诊", date(2025, 9, 12), "志愿服务",
     ["jiangan-no1-hospital"], 120, ["义诊", "双报到"]),
    ("demo-activity-3", "xingfuli", "第三季度党建联席会议", date(2025, 9, 26), "联席会议",
     ["jiangan-no1-hospital", "jiangan-no12-middle-school"], 18, ["联席会议"]),
    ("demo-activity-4", "building-3", "3号楼党群微家“微心愿”认领", date(2025, 10, 8), "微心愿",
     [], 12, ["微心愿"]),
    ("demo-activity-5", "guangming", "光明社区与华信科技结对共建签约", date(2025, 5, 20),
     "结对共建", ["huaxin-tech"], 30, ["结对共建", "两新组织"]),
]  # fmt: skip


def load_demo(stdout):
    setup()  # the city did not exist yet when setup_site ran: its index is made now
    units = {unit.slug: unit for unit in ResidentUnitPage.objects.all()}
    made = 0
    for source_id, parent_slug, title, when, kind, unit_slugs, count, tags in DEMO:
        if ActivityPage.objects.filter(source_id=source_id).exists():
            continue
        parent = OrganisationPage.objects.filter(slug=parent_slug).order_by("path").first()
        if parent is None:
            continue
        page = ActivityPage(
            title=title, source_id=source_id, date=when,
            kind=ActivityKind.objects.get(name=kind), participant_count=count,
            place=f"{parent.title}党群服务中心", summary=f"{title}，共 {count} 人参加。",
            body=body_from_text(f"{title}。\n参与单位和党员群众共同参与，活动取得良好效果。"),
            outcome="形成共建事项清单，纳入年度项目清单跟踪落实。", **publish_fields(),
        )  # fmt: skip
        page.tags.set(tags)
        page.participating_units = [units[slug] for slug in unit_slugs if slug in units]
        parent.add_child(instance=page)
        made += 1
    stdout.write(f"  活动记录：新建 {made} 条")
