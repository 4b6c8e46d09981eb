import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def clean_cache():
    """The theme-per-host and page caches outlive a test's database rollback: start and
    end every test with an empty cache."""
    cache.clear()
    yield
    cache.clear()
