"""The evaluation records' policies (see ``plugins.access.record_policy``).

Managers (the 考核评价管理 group of this plugin's profile, i.e. the district
organisation department: the models' Django permissions) act on every record.
Everyone else acts through the organisation pages they may edit (local roles and
appointments in term, plugins/access): a street secretary sets her street's weights
and fills its monthly reports, the district reviews them (月报审核), a community
secretary runs the rating rounds of her committee (关闭测评), a member writes only
their own annual reports. Honours (评选表彰) are recorded by managers only; whoever
edits the honoured organisation's page reads them (they are shown on that page).
"""

from plugins.access.api import OWN, Reach, RecordPermissionPolicy

MANAGERS_GROUP = "考核评价管理"


def _org():
    from plugins.orgs.models import DistrictPage, StreetPage

    return DistrictPage, StreetPage


class PageScopedPolicy(RecordPermissionPolicy):
    """Records of an organisation page (``page_path``): its editors do everything."""

    page_path = None
    page_type_name = None  # "street" / "district": only editors of such pages count

    @property
    def page_type(self):
        district, street = _org()
        return {"street": street, "district": district}.get(self.page_type_name)

    @property
    def reaches(self):
        editors = (Reach(self.page_path, "change", page_type=self.page_type),)
        return dict.fromkeys(("view", "add", "change", "delete"), editors)


class AnnualReportPolicy(PageScopedPolicy):
    """A member writes and sees their own reports; the committee's editors see them too."""

    model_name = "evaluation.AnnualReport"
    page_path = "committee"

    @property
    def reaches(self):
        reaches = dict(super().reaches)
        for action in reaches:
            reaches[action] = (*reaches[action], Reach("user", OWN))
        return reaches

    def user_has_permission(self, user, action):
        # A member in term may write their first report before owning any.
        if action == "add" and user.is_active and user.appointments.exists():
            return True
        return super().user_has_permission(user, action)


class RatingRoundPolicy(PageScopedPolicy):
    """Rounds of the committee's reports; ``close`` (关闭测评), the links, the letter."""

    model_name = "evaluation.RatingRound"
    page_path = "report__committee"
    action_permissions = {"results": "view", "close": "change", "letter": "view"}

    @property
    def reaches(self):
        reaches = dict(super().reaches)
        reaches["results"] = reaches["letter"] = reaches["view"]
        reaches["close"] = reaches["change"]
        return reaches

    def allows(self, user, action, instance):
        # A closed round's raters and deadline are part of its recorded result.
        if action in ("change", "delete"):
            return instance.closed_at is None
        return True


class ScoreWeightsPolicy(PageScopedPolicy):
    model_name = "evaluation.ScoreWeights"
    page_path = "street"
    page_type_name = "street"
    action_permissions = {"scores": "view", "publish_ranking": "change"}

    @property
    def reaches(self):
        reaches = dict(super().reaches)
        reaches["scores"] = reaches["view"]
        reaches["publish_ranking"] = reaches["change"]
        return reaches


class MonthlyItemPolicy(PageScopedPolicy):
    model_name = "evaluation.MonthlyItem"
    page_path = "district"
    page_type_name = "district"


class MonthlyReportPolicy(RecordPermissionPolicy):
    """A street's editors fill its reports; its district reviews them (``review``:
    月报审核, the 月讲评 comment); both read them."""

    model_name = "evaluation.MonthlyReport"
    action_permissions = {"review": "change"}

    @property
    def reaches(self):
        district, street = _org()
        fillers = (Reach("street", "change", page_type=street),)
        reviewers = (Reach("street", "change", page_type=district, above=True),)
        return {"view": fillers + reviewers, "add": fillers, "change": fillers,
                "review": reviewers}  # fmt: skip

    def user_has_model_permission(self, user, action):
        # Filling is the street's own work: the district reviews, it does not fill.
        if action in ("add", "change") and not user.is_superuser:
            return False
        return super().user_has_model_permission(user, action)


class AwardPolicy(PageScopedPolicy):
    model_name = "evaluation.Award"
    page_path = "organisation"

    @property
    def reaches(self):
        return {"view": (Reach(self.page_path, "change"),)}

    def user_has_permission(self, user, action):
        # Honours are listed (and exported) by the district only; an organisation's
        # editors read one of theirs (its history) from their page, not from a list.
        return self.user_has_model_permission(user, action)


rating_round_policy = RatingRoundPolicy()
POLICIES = (
    AnnualReportPolicy(),
    rating_round_policy,
    ScoreWeightsPolicy(),
    MonthlyItemPolicy(),
    MonthlyReportPolicy(),
    AwardPolicy(),
)


def is_manager(user):
    """Whether ``user`` evaluates everywhere (the dashboards' "全部" scope): holders of
    the rating rounds' model permission, the group's mark."""
    return rating_round_policy.user_has_model_permission(user, "change")


def limit_pages(field, user, queryset, policy, action="add"):
    """Restrict a page choice to the pages ``policy`` lets ``user`` file ``action`` under."""
    if user is None or policy.user_has_model_permission(user, action):
        field.queryset = queryset
        return
    field.queryset = queryset.filter(
        pk__in=[p.pk for p in queryset if policy.user_has_permission_for_page(user, action, p)]
    )
