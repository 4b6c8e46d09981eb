"""The archive plugin's profile: nothing to create up front.

The 未归属 section is made by the first import that needs it (see
``importing.unassigned_section``), so a site that never imports has none.
"""


def setup():
    """Nothing to do; kept so the plugin takes part in `setup_site` like the others."""
