import pytest
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file

from plugins.archive.api import body_from_text, publish_fields
from plugins.compilations.models import (
    CompilationArticlePage,
    CompilationChapterPage,
    CompilationPage,
)
from plugins.orgs.models import DistrictPage

CHAPTERS = {
    "一、组织建设篇": [
        ("幸福里社区“大党委”议事机制", "陈晓梅", "幸福里社区大党委",
         "坚持大事共议、实事共办。\n每月召开一次大党委会。"),
        ("驻区单位双报到的光明经验", "刘芳", "光明社区大党委",
         "在职党员到社区报到。\n认领服务岗位。"),
    ],
    "二、服务群众篇": [
        ("“微心愿”认领温暖百家", "", "锦绣社区大党委", "收集群众微心愿一百余条。"),
    ],
}  # fmt: skip


@pytest.fixture
def image(db):
    return Image.objects.create(title="封面", file=get_test_image_file())


@pytest.fixture
def compilation(demo, image):
    """A live compilation: preface, two chapters, three articles, one image with caption."""
    district = DistrictPage.objects.get(slug="jiangbei")
    page = CompilationPage(
        title="2020年社区党建创新经验汇编", year=2020, editor_unit=district,
        preface="<p>这是前言第一段。</p><p>这是前言第二段。</p>", cover_image=image,
        **publish_fields(),
    )  # fmt: skip
    district.add_child(instance=page)
    for chapter_title, articles in CHAPTERS.items():
        chapter = CompilationChapterPage(title=chapter_title, **publish_fields())
        page.add_child(instance=chapter)
        for title, author, unit, text in articles:
            body = body_from_text(text)
            if title.startswith("幸福里"):
                body.append({"type": "quote", "value": "大事共议、实事共办、要事共决、急事共商"})
                value = {"image": image.pk, "alt_text": "议事会现场", "caption": "议事会现场照片"}
                body.append({"type": "image", "value": value})
            article = CompilationArticlePage(
                title=title, author=author, unit_name=unit, body=body, **publish_fields()
            )
            chapter.add_child(instance=article)
    return page


def article_titles():
    return [title for articles in CHAPTERS.values() for title, *_rest in articles]
