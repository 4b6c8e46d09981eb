"""Daily check: do the archive search and the cached pages still match the pages?

Every change of content reaches both through gongjian_site.changes; this command is
the safety net for what bypassed it (a script writing rows by hand, a cache or index
outage, a crash between commit and purge). Exit status 1 on drift, so a timer or a
monitoring job notices; ``--repair`` sends the pages concerned through the same
mechanism again.
"""

from django.core.management.base import BaseCommand, CommandError
from wagtail.models import Page, Site

from gongjian_site import changes, pagecache
from search import api as search_api

LABELS = {"missing": "缺少检索文档", "extra": "多余的检索文档", "stale": "检索文档已过时"}


class Command(BaseCommand):
    help = "比对检索索引、页面缓存与已发布页面；有偏差时以状态码 1 退出，--repair 修复"

    def add_arguments(self, parser):
        parser.add_argument("--repair", action="store_true", help="修复发现的偏差")

    def handle(self, *args, **options):
        index = search_api.index_drift()
        cached = {site: pagecache.drift(site) for site in Site.objects.all()}
        problems = 0
        for kind, ids in index.items():
            for page in Page.objects.filter(pk__in=ids).order_by("path"):
                self.stdout.write(f"检索：{LABELS[kind]}：{page.title}（{page.url_path}）")
                problems += 1
        for site, pages in cached.items():
            for page in pages:
                self.stdout.write(f"缓存：{site.hostname} 的缓存页面已过时：{page.title}")
                problems += 1
        if not problems:
            self.stdout.write(self.style.SUCCESS("检索索引与页面缓存均与已发布页面一致"))
            return
        if not options["repair"]:
            self.stderr.write("运行 check_site_consistency --repair 修复")
            raise CommandError(f"发现 {problems} 处偏差")
        ids = {pk for found in index.values() for pk in found}
        ids |= {page.pk for pages in cached.values() for page in pages}
        changes.pages_changed(Page.objects.filter(pk__in=ids).specific())
        self.stdout.write(self.style.SUCCESS(f"已修复 {problems} 处偏差"))
