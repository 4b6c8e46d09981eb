from datetime import timedelta

from django.core.management.base import BaseCommand

from plugins.recyclebin.models import purge


class Command(BaseCommand):
    help = (
        "Delete for good the pages that have been in the recycle bin longer than "
        "RECYCLE_BIN_RETENTION_DAYS (run daily from cron or a systemd timer)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days", type=int, help="override the retention period for this run (days)"
        )

    def handle(self, *args, **options):
        older_than = timedelta(days=options["days"]) if options["days"] is not None else None
        purged = purge(older_than=older_than)
        for title, descendants in purged:
            self.stdout.write(f"  已彻底删除：{title}（含 {descendants} 个下级页面）")
        self.stdout.write(self.style.SUCCESS(f"回收站清理完成，共彻底删除 {len(purged)} 项"))
