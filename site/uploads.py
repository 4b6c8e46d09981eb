"""Uploads land in the uploader's own collection unless they pick another.

Wagtail preselects the first collection the uploader may add to (alphabetical, so a
district's publicity staff uploaded into 光明社区大党委's collection). A plugin that knows
whose collection is whose answers the ``default_upload_collection`` hook (access: the
editor's own unit or community, else 公共图片); the image and document forms
(``forms.py``) and the multiple-upload pages preselect its answer.
"""

from django.shortcuts import redirect
from wagtail import hooks


def default_upload_collection(user, collections):
    """The collection of ``collections`` an upload by ``user`` goes to by default."""
    collections = list(collections)
    if not user or not user.is_authenticated or len(collections) < 2:
        return None
    for hook in hooks.get_hooks("default_upload_collection"):
        found = hook(user, collections)
        if found is not None:
            return found
    return None


def _preselecting(view, model):
    """Wagtail's multiple-upload view, opened with ``?collection_id=`` of the default
    (the view preselects only what the URL names)."""
    from wagtail.permissions import policy_registry

    def wrapped(request, *args, **kwargs):
        if request.method == "GET" and "collection_id" not in request.GET:
            policy = policy_registry.get_by_type(model)
            allowed = policy.collections_user_has_permission_for(request.user, "add")
            default = default_upload_collection(request.user, allowed)
            if default is not None:
                return redirect(f"{request.path}?collection_id={default.pk}")
        return view(request, *args, **kwargs)

    return wrapped


def multiple_add_images(request, *args, **kwargs):
    from wagtail.images import get_image_model
    from wagtail.images.views.multiple import AddView

    view = _preselecting(AddView.as_view(), get_image_model())
    return view(request, *args, **kwargs)


def multiple_add_documents(request, *args, **kwargs):
    from wagtail.documents import get_document_model
    from wagtail.documents.views.multiple import AddView

    view = _preselecting(AddView.as_view(), get_document_model())
    return view(request, *args, **kwargs)
