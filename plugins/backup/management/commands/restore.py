from django.core.management.base import BaseCommand

from plugins.backup.archive import count_differences, restore_backup


class Command(BaseCommand):
    help = (
        "Restore a backup archive: verifies every checksum first, refuses a damaged archive, "
        "and asks for --yes before overwriting a database that holds data."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive")
        parser.add_argument(
            "--yes", action="store_true", help="overwrite a database that already holds data"
        )
        parser.add_argument("--database", default="default")

    def handle(self, *args, **options):
        manifest = restore_backup(
            options["archive"], yes=options["yes"], using=options["database"], stdout=self.stdout
        )
        differences = count_differences(manifest, options["database"])
        for label, then, now in differences:
            # Only expected after migrating an older archive (new content types, permissions).
            self.stdout.write(self.style.WARNING(f"  {label}: 备份中 {then}，现在 {now}"))
        self.stdout.write(self.style.SUCCESS(f"恢复完成：{options['archive']}"))
