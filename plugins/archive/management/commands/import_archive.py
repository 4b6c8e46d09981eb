import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from plugins.archive.api import file_importers, import_jsonl


def _date(value):
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"--date 必须是 YYYY-MM-DD 格式的日期，而不是“{value}”") from exc


class Command(BaseCommand):
    help = (
        "导入档案：.jsonl 记录（activity、case、compilation_article）或 .docx 经验汇编。"
        "按来源编号幂等：再次导入会更新已有页面；回收站中的页面不会被匹配或恢复。"
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help=".jsonl 或 .docx 文件")
        parser.add_argument(
            "--unit", default="", help="（.docx）汇编所属组织的路径，如 jiangbei/xinhua"
        )
        parser.add_argument(
            "--date",
            default="",
            help="（.docx）汇编的日期 YYYY-MM-DD；不填时取标题中的年份或文档属性中的创建日期",
        )
        parser.add_argument(
            "--restore-deleted",
            action="store_true",
            help="来源编号对应的页面在回收站中时，先从回收站恢复再更新（默认跳过并报告）",
        )
        parser.add_argument(
            "--resume",
            action="store_true",
            help="（.jsonl）只导入此前没有导入过的记录（用于续导中断的导入）",
        )
        parser.add_argument("--no-progress", action="store_true", help="不显示进度")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"找不到文件：{path}")
        suffix = path.suffix.lower()
        if suffix == ".jsonl":
            report = import_jsonl(
                path,
                progress=not options["no_progress"],
                progress_stream=self.stderr,
                restore_deleted=options["restore_deleted"],
                resume=options["resume"],
            )
        else:
            importer = file_importers().get(suffix)
            if importer is None:
                known = "、".join([".jsonl", *sorted(file_importers())])
                raise CommandError(f"不支持的文件类型“{suffix}”，可导入：{known}")
            report = importer(
                path,
                unit=options["unit"],
                date=_date(options["date"]) if options["date"] else None,
                restore_deleted=options["restore_deleted"],
            )
        report.write(self.stdout)
