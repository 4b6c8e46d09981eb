"""Tidy appointments whose term has run out.

Rights already ended the day after the end date (the permission policy compares
dates); this records the end (自动免职: 届满未续任), hands the member's unpublished
pages under their units to the committee's reviewers, and tells both by email.
Safe to run again: only appointments still marked active are touched.
"""

from django.core.mail import send_mail
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.translation import gettext as _
from wagtail.log_actions import log
from wagtail.models import Page

from gongjian_site import clock
from plugins.access.grants import reviewers_of
from plugins.access.models import Appointment, AppointmentStatus, RemovalReason


class Command(BaseCommand):
    help = "将任期届满的兼职委员任职记为自动免职，移交其未发布草稿，并邮件通知。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="只列出将被处理的任职，不做任何更改"
        )

    def handle(self, *args, dry_run=False, **options):
        today = clock.today()
        lapsed = Appointment.objects.filter(
            status=AppointmentStatus.ACTIVE, end_date__lt=today
        ).select_related("user", "committee", "source_unit")
        count = 0
        for appointment in lapsed:
            count += 1
            if dry_run:
                self.stdout.write(_("将到期免职：%(appointment)s") % {"appointment": appointment})
                continue
            with transaction.atomic():
                handed = self._expire(appointment)
            self.stdout.write(
                _("已到期免职：%(appointment)s（移交未发布草稿 %(handed)d 篇）")
                % {"appointment": appointment, "handed": handed}
            )
        if dry_run:
            # Nothing was changed: say what a real run would do, not that it was done.
            summary = _("试运行：%(count)d 项任职将到期免职，未做任何更改。")
        else:
            summary = _("%(count)d 项任职已到期免职。")
        self.stdout.write(self.style.SUCCESS(summary % {"count": count}))

    def _expire(self, appointment):
        appointment.status = AppointmentStatus.ENDED
        appointment.removal_reason = RemovalReason.TERM_NOT_RENEWED
        appointment.save(update_fields=["status", "removal_reason"])
        log(instance=appointment, action="gongjian.appointment_expire",
            data={"end": appointment.end_date.isoformat()})  # fmt: skip

        reviewers = list(reviewers_of(appointment.committee))
        drafts = Page.objects.none()
        for unit in appointment.units():
            drafts |= Page.objects.descendant_of(unit, inclusive=True).filter(
                owner=appointment.user, live=False
            )
        handed = list(drafts)
        if reviewers:
            Page.objects.filter(pk__in=[p.pk for p in handed]).update(owner=reviewers[0])

        titles = "\n".join(f"  - {page.title}" for page in handed) or _("  （无）")
        subject = _("任期届满通知：%(committee)s") % {"committee": appointment.committee.title}
        body = _(
            "%(name)s 在%(committee)s担任%(role)s的任期已于 %(end)s 届满，"
            "其对所负责单位页面的编辑权限已终止。\n移交给书记的未发布草稿：\n%(titles)s\n"
        ) % {
            "name": appointment.user.get_full_name() or appointment.user.get_username(),
            "committee": appointment.committee.title,
            "role": appointment.get_role_display(),
            "end": appointment.end_date.isoformat(),
            "titles": titles,
        }
        recipients = [u.email for u in [appointment.user, *reviewers[:1]] if u.email]
        if recipients:
            send_mail(subject, body, None, recipients)
        return len(handed)
