"""Content-Security-Policy: strict for the public site, looser where Wagtail's admin needs it.

The public theme loads only its own stylesheet and images, so it runs under a policy
with no inline script or style at all. Wagtail 8's admin still writes inline ``<script>``
tags (inline panels, date pickers, workflow panels) and inline styles, so admin pages
get 'unsafe-inline' for scripts and styles, still from this origin only: no third-party
source, no plugins, no framing by other sites. The admin prefix is ADMIN_URL. No nonce
is ever added to the admin policy: a nonce would make browsers ignore 'unsafe-inline'.
Checked against the markup in tests (no inline code on public pages, nothing from other
origins in the admin); not yet in a real browser, which this machine lacks.
"""

from csp.constants import NONE, SELF, UNSAFE_EVAL, UNSAFE_INLINE
from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings

PUBLIC_DIRECTIVES = {
    "default-src": [SELF],
    "script-src": [SELF],
    "style-src": [SELF],
    "img-src": [SELF, "data:"],
    "font-src": [SELF],
    "connect-src": [SELF],
    "frame-src": [SELF],
    "object-src": [NONE],
    "base-uri": [SELF],
    "form-action": [SELF],
    "frame-ancestors": [NONE],
}

ADMIN_DIRECTIVES = {
    **PUBLIC_DIRECTIVES,
    # core.js bundles code that compiles templates with new Function(); with inline
    # scripts allowed anyway, refusing eval would break editors for little gain.
    "script-src": [SELF, UNSAFE_INLINE, UNSAFE_EVAL],
    "style-src": [SELF, UNSAFE_INLINE],
    "img-src": [SELF, "data:", "blob:"],
    "font-src": [SELF, "data:"],
    "media-src": [SELF, "blob:"],
    # The page editor previews in an iframe of this origin.
    "frame-ancestors": [SELF],
}


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, choosing the admin policy under ADMIN_URL."""

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and parts.config is None and is_admin_path(request.path_info):
            return PolicyParts(ADMIN_DIRECTIVES, parts.update, parts.replace, parts.nonce)
        return parts


def is_admin_path(path):
    return path.startswith("/" + settings.ADMIN_URL)
