"""What an import tells the person who ran it: the report (created, updated, and every
record that needs a person's attention, line by line) and the progress bar."""

import sys
import time
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError

from .models import UNASSIGNED_TITLE


@dataclass
class ImportReport:
    """What an import did, line by line where something needs a person's attention."""

    created: int = 0
    updated: int = 0
    #: (line, source id, unit as given, why it was not placed)
    unassigned: list = field(default_factory=list)
    #: (line, message)
    errors: list = field(default_factory=list)
    #: (line, source id, why it was left alone): pages in the recycle bin
    skipped: list = field(default_factory=list)
    #: (line, source id): binned pages brought back by --restore-deleted
    restored: list = field(default_factory=list)
    #: (line, source id, what, value, why): fields kept only in part
    notes: list = field(default_factory=list)
    #: (first line, last line, message): batches that did not commit
    failed_batches: list = field(default_factory=list)
    #: records left alone by --resume because an earlier run imported them
    already: int = 0

    @property
    def imported(self):
        return self.created + self.updated

    @property
    def ok(self):
        return not (self.errors or self.failed_batches)

    def summary(self):
        text = (
            f"导入完成：新建 {self.created} 条，更新 {self.updated} 条，"
            f"其中未归属 {len(self.unassigned)} 条，错误 {len(self.errors)} 行"
        )
        if self.skipped:
            text += f"，跳过回收站中的 {len(self.skipped)} 条"
        if self.restored:
            text += f"，从回收站恢复 {len(self.restored)} 条"
        if self.already:
            text += f"，此前已导入而略过 {self.already} 条"
        if self.failed_batches:
            lost = sum(last - first + 1 for first, last, _message in self.failed_batches)
            text += f"，{len(self.failed_batches)} 批（{lost} 行）未能提交"
        return text

    def write(self, stdout):
        """Print the summary, then every record that needs a person's attention."""
        stdout.write(self.summary())

        def where(line, source_id):
            return f"第 {line} 行（{source_id}）" if line else source_id

        for line, source_id, unit, reason in self.unassigned:
            unit = unit or "未填写"
            stdout.write(f"  {where(line, source_id)}放入“{UNASSIGNED_TITLE}”：{reason}（{unit}）")
        for line, source_id, what, value, reason in self.notes:
            stdout.write(f"  {where(line, source_id)}{what}“{value}”：{reason}")
        for line, source_id, reason in self.skipped:
            stdout.write(f"  {where(line, source_id)}已跳过：{reason}")
        for line, source_id in self.restored:
            stdout.write(f"  {where(line, source_id)}已从回收站恢复并更新")
        for line, message in self.errors:
            # line 0: a whole file (a .docx), not one line of it
            stdout.write(f"  第 {line} 行：{message}" if line else f"  {message}")
        for first, last, message in self.failed_batches:
            stdout.write(
                f"  第 {first}–{last} 行这一批未能提交（{message}），其中的记录都没有导入；"
                "排除原因后重新运行同一命令即可续导（按来源编号，已导入的不会重复）"
            )


def error_message(exc):
    """The text of an exception as the report shows it (a ValidationError field by field)."""
    if isinstance(exc, ValidationError):
        if hasattr(exc, "message_dict"):
            return "；".join(
                f"{name}：{'，'.join(msgs)}" for name, msgs in exc.message_dict.items()
            )
        return "；".join(str(message) for message in exc.messages)
    return str(exc)


class Progress:
    """A one-line progress bar on a terminal, a line every 10% elsewhere."""

    def __init__(self, total, stream=None, enabled=True):
        self.total = max(total, 1)
        self.stream = stream or sys.stderr
        self.enabled = enabled and total >= 100
        self.tty = hasattr(self.stream, "isatty") and self.stream.isatty()
        self.started = time.monotonic()
        self.last_decile = 0

    def update(self, done):
        if not self.enabled:
            return
        rate = done / max(time.monotonic() - self.started, 1e-6)
        share = done / self.total
        if self.tty:
            if done % 25 and done != self.total:
                return
            bar = "#" * int(share * 30)
            self.stream.write(f"\r导入中 [{bar:<30}] {done}/{self.total} {rate:.0f} 条/秒")
            if done == self.total:
                self.stream.write("\n")
            self.stream.flush()
        elif int(share * 10) > self.last_decile:
            self.last_decile = int(share * 10)
            self.stream.write(f"导入中 {done}/{self.total}（{share:.0%}）{rate:.0f} 条/秒\n")
