"""The recycle bin's profile: the hidden bin page under the tree root."""

from .models import RecycleBinPage


def setup():
    """Create the bin page (idempotent); it is hidden and never served."""
    RecycleBinPage.get()
