from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from plugins.archive.importing import file_importers, import_jsonl


class Command(BaseCommand):
    help = (
        "导入档案：.jsonl 记录（activity、case、compilation_article）或 .docx 经验汇编。"
        "按来源编号幂等：再次导入会更新已有页面。"
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help=".jsonl 或 .docx 文件")
        parser.add_argument(
            "--unit", default="", help="（.docx）汇编所属组织的路径，如 jiangbei/xinhua"
        )
        parser.add_argument("--no-progress", action="store_true", help="不显示进度")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"找不到文件：{path}")
        suffix = path.suffix.lower()
        if suffix == ".jsonl":
            report = import_jsonl(
                path, progress=not options["no_progress"], progress_stream=self.stderr
            )
        else:
            importer = file_importers().get(suffix)
            if importer is None:
                known = "、".join([".jsonl", *sorted(file_importers())])
                raise CommandError(f"不支持的文件类型“{suffix}”，可导入：{known}")
            report = importer(path, unit=options["unit"])
        report.write(self.stdout)
