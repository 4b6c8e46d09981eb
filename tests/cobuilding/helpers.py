ADMIN = "/admin/cobuilding/"


def denied(response):
    """Wagtail's admin answers PermissionDenied with a redirect home and a message;
    our own lookups answer 404; plain 403 counts too."""
    if response.status_code == 302:
        return response["Location"] == "/admin/"
    return response.status_code in (403, 404)


def url(model, action="", pk=None):
    base = f"{ADMIN}{model}/"
    if action:
        base += f"{action}/"
    if pk is not None:
        base += f"{pk}/"
    return base
