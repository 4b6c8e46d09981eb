"""The meeting page's editor form: attendance rows prefilled from the committee."""

from django.utils import timezone
from wagtail.admin.forms import WagtailAdminPageForm

from plugins.orgs.composition import Role, is_current


def committee_members(committee, on_day=None):
    """The committee's seats in term on ``on_day`` (liaisons are not on the committee)."""
    from plugins.orgs.models import CommitteeMember

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
        from plugins.orgs.models import CommitteeMember

        seats = CommitteeMember.objects.filter(page=committee).order_by("sort_order")

        class CommitteeOnly(formset.form):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                if "member" in self.fields:
                    self.fields["member"].queryset = seats

        if self.is_bound or self.instance.pk:
            formset.form = CommitteeOnly
            return
        rows = [
            {"member": m.pk, "person_name": m.person_name,
             "source_unit": m.source_unit_id, "present": True}
            for m in committee_members(committee)
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
