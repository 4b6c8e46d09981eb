"""Editor panels of the organisation pages."""

from wagtail.admin.panels import Panel


class CompositionPanel(Panel):
    """Shows the committee rules of this level and what the saved committee breaks.

    The rules are advisory (原则上), so the editor sees them next to the committee
    rather than only in a flash message after saving.
    """

    @property
    def clean_name(self):
        return super().clean_name or "composition"

    class BoundPanel(Panel.BoundPanel):
        template_name = "orgs/panels/composition.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            page = self.instance
            context["committee_name"] = page.committee_name
            context["findings"] = page.composition_warnings() if page.pk else []
            context["checked"] = bool(page.pk)
            return context
