from django.core.management.base import BaseCommand

from search.thesaurus import THESAURUS, load_thesaurus


class Command(BaseCommand):
    help = (
        "Load the shipped thesaurus (search/thesaurus.txt, less the groups in "
        "thesaurus_dropped.txt) into the admin's 检索同义词; editors' own groups stay. "
        "setup_site does the same; safe to run again."
    )

    def handle(self, *args, **options):
        added, removed, unchanged = load_thesaurus()
        self.stdout.write(
            f"内置同义词表 {THESAURUS.name}：新增 {added} 组，"
            f"移除 {removed} 组，未变 {unchanged} 组"
        )
