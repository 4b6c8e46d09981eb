"""Demo: 《2025年江北区社区党建创新经验汇编》 with the recommended demo cases pulled in."""

from plugins.archive.api import publish_fields
from plugins.cases.models import CasePage
from plugins.orgs.models import DistrictPage

from .models import CompilationPage
from .pulling import candidate_cases, pull_cases

SOURCE_ID = "demo-compilation-1"


def load_demo(stdout):
    if CompilationPage.objects.filter(source_id=SOURCE_ID).exists():
        stdout.write("  经验汇编：已存在")
        return
    district = DistrictPage.objects.filter(slug="jiangbei").first()
    if district is None:
        return
    compilation = CompilationPage(
        title="2025年江北区社区党建创新经验汇编", year=2025, editor_unit=district,
        source_id=SOURCE_ID,
        preface="<p>本汇编收录江北区各街道、社区在区域化党建工作中的创新做法，供学习交流。</p>",
        **publish_fields(),
    )  # fmt: skip
    district.add_child(instance=compilation)
    cases = [case for case in candidate_cases(compilation) if isinstance(case, CasePage)]
    made = pull_cases(compilation, cases, new_chapter_title="一、共驻共建篇")
    stdout.write(f"  经验汇编：新建 1 本，收入推荐案例 {len(made)} 篇")
