"""Remind community secretaries of agreements that are due for renewal (续签提醒).

An agreement is due ``renewal_reminder_days`` before ``valid_until``. The community's
reviewers (its secretary, see ``reviewers_of``) get one email per agreement; the date
is recorded, so running the command daily sends each reminder once per validity period.
"""

from django.core.mail import send_mail
from django.core.management.base import BaseCommand

from gongjian_site import clock
from plugins.access.api import reviewers_of
from plugins.cobuilding.models import Agreement


class Command(BaseCommand):
    help = "Email community secretaries about co-building agreements due for renewal."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Report without sending")

    def handle(self, *args, dry_run=False, **options):
        today = clock.today()
        candidates = Agreement.objects.filter(valid_until__gte=today).select_related(
            "community", "unit"
        )
        sent = 0
        for agreement in candidates:
            if not agreement.needs_renewal(today):
                continue
            if agreement.reminded_on and agreement.reminded_on >= agreement.renewal_due_on:
                continue
            recipients = [u.email for u in reviewers_of(agreement.community) if u.email]
            self.stdout.write(f"{'would remind' if dry_run else 'remind'}: {agreement} "
                              f"-> {', '.join(recipients) or '（无审核人邮箱）'}")  # fmt: skip
            if dry_run:
                continue
            if recipients:
                send_mail(
                    f"共驻共建协议书即将到期：{agreement}",
                    f"{agreement.community_name}与{agreement.unit_name}的共驻共建协议书将于 "
                    f"{agreement.valid_until.isoformat()} 到期，请及时商议续签。",
                    None, recipients,
                )  # fmt: skip
            agreement.reminded_on = today
            agreement.save(update_fields=["reminded_on"])
            sent += 1
        self.stdout.write(self.style.SUCCESS(f"{sent} reminder(s) sent"))
