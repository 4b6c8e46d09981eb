"""Cases are pages: they appear in the page explorer; only their search registration here."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks


@hooks.register("register_archive_types")
def archive_types():
    """Searchable in the archive search (search/documents.py)."""
    from .models import CasePage

    return [(CasePage, "case", _("典型案例"))]
