"""The compilations plugin's profile: nothing up front; compilations are made by
editors (or by importing old ones), under the organisation that edits them."""


def setup():
    """Nothing to create; kept so the plugin takes part in `setup_site`."""
