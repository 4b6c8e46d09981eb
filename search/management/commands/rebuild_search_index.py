import sys
import time

from django.core.management.base import BaseCommand

from search.indexing import rebuild


class Command(BaseCommand):
    help = "Rebuild the archive search index from the pages (with a progress bar)."

    def handle(self, *args, **options):
        started = time.perf_counter()
        interactive = sys.stdout.isatty()

        def progress(done, total):
            width = 30
            filled = width * done // total if total else width
            bar = "#" * filled + "-" * (width - filled)
            line = f"[{bar}] {done}/{total}"
            if interactive:
                self.stdout.write("\r" + line, ending="")
            else:
                self.stdout.write(line)

        count = rebuild(progress=progress)
        if interactive:
            self.stdout.write("")
        elapsed = time.perf_counter() - started
        self.stdout.write(
            self.style.SUCCESS(f"检索索引已重建：{count} 篇文档，用时 {elapsed:.1f} 秒")
        )
