"""The meeting page's editor form: attendance rows prefilled from the committee."""

from django.utils import timezone
from wagtail.admin.forms import WagtailAdminPageForm

from plugins.orgs.api import Role, is_current
from plugins.orgs.models import CommitteeMember


def committee_members(committee, on_day=None):
    """The committee's seats in term on ``on_day`` (liaisons are not on the committee)."""
    on_day = on_day or timezone.localdate()
    members = (
        CommitteeMember.objects.filter(page=committee)
        .exclude(role__in=Role.NOT_ON_COMMITTEE)
        .select_related("source_unit")
    )
    members = [m for m in members if is_current(m.term_start, m.term_end, on_day)]
    return sorted(members, key=lambda m: (Role.ORDER[m.role], m.sort_order or 0))


class MeetingPageForm(WagtailAdminPageForm):
    """Offers only the meeting's own committee in the attendance rows and, for a new
    meeting, lists every current member as present so the secretary only marks the
    absences (with their reasons)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        formset = self.formsets.get("attendances")
        committee = self._committee()
        if formset is None or committee is None:
            return
        seats = CommitteeMember.objects.filter(page=committee).order_by("sort_order")

        class CommitteeOnly(formset.form):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                if "member" in self.fields:
                    self.fields["member"].queryset = seats

        if self.is_bound or self.instance.pk:
            formset.form = CommitteeOnly
            if not self.is_bound:
                _show_sign_ins(formset, self.instance)
            return
        members = committee_members(committee)
        phones = last_phones(members)
        rows = [
            {"member": m.pk, "person_name": m.person_name,
             "source_unit": m.source_unit_id, "present": True, "phone": phones.get(m.pk, "")}
            for m in members
        ]  # fmt: skip
        prefilled = type(formset)(
            instance=self.instance,
            prefix=formset.prefix,
            initial=rows,
            form_kwargs=formset.form_kwargs,
        )
        prefilled.extra = len(rows)
        prefilled.form = CommitteeOnly
        self.formsets["attendances"] = prefilled

    def _committee(self):
        index = self.instance.get_parent() if self.instance.pk else self.parent_page
        if index is None:
            return None
        committee = index.get_parent()
        return committee if committee is not None and committee.depth > 1 else None


def last_phones(members):
    """Each member's sign-in phone as last recorded at a meeting: the secretary types it
    once, and every new meeting carries it over."""
    from .models import Attendance

    phones = {}
    rows = (
        Attendance.objects.filter(member__in=[m.pk for m in members])
        .exclude(phone="")
        .order_by("meeting__date", "pk")
        .values_list("member_id", "phone")
    )
    for member_id, phone in rows:
        phones[member_id] = phone  # the latest meeting's wins
    return phones


def _show_sign_ins(formset, meeting):
    """Tick 出席 for the rows signed in by scanning: the form shows the latest revision,
    which was saved before they signed in."""
    from .models import SignIn

    signed = set(
        SignIn.objects.filter(meeting=meeting, attendance__isnull=False).values_list(
            "attendance_id", flat=True
        )
    )
    if not signed:
        return
    for form in formset.forms:
        if form.instance.pk in signed:
            form.initial["present"] = True
            form.initial["absence_reason"] = ""
