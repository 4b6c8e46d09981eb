from django.core.management.base import BaseCommand

from plugins.backup.archive import DUMP_FILES, create_backup


class Command(BaseCommand):
    help = (
        "Write one backup archive (.tar.gz or .zip): a database dump, the media folder "
        "and a manifest with counts per model and the sha256 of every file."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            help=".tar.gz, .tgz or .zip path (default: BACKUP_DIR/gongjian-<time>.tar.gz)",
        )
        parser.add_argument(
            "--method",
            choices=sorted(DUMP_FILES),
            help="dump method (default: sqlite, or pg_dump on PostgreSQL; json as fallback)",
        )
        parser.add_argument("--database", default="default")

    def handle(self, *args, **options):
        path, manifest = create_backup(
            options["output"], method=options["method"], using=options["database"]
        )
        rows = sum(manifest["counts"].values())
        self.stdout.write(
            self.style.SUCCESS(
                f"备份完成：{path}（数据库 {manifest['database']['method']}，"
                f"{rows} 行，{len(manifest['files'])} 个文件）"
            )
        )
