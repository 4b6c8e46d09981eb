"""Who reviews a page at a level: the tree decides, not fixed groups.

A task of level L on page P goes to the users holding the Reviewer local role (all of
its codenames) granted on P's nearest ancestor organisation of level L. When nobody
holds it there (the post is vacant, or the only reviewer was just removed) the task
goes to the holders on the nearest ancestor above that has any, so a page is never
stuck in moderation. Superusers may always act (they are not notified).
"""

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from guardian.models import UserObjectPermission
from wagtail.models import Page

from plugins.access.api import REVIEWER
from plugins.orgs.models import CommunityPage, DistrictPage, OrganisationPage, StreetPage

_CACHE = "_workflows_review_cache"


def _page_ct():
    return ContentType.objects.get_for_model(Page)


def level_models():
    return {"community": CommunityPage, "street": StreetPage, "district": DistrictPage}


def level_page(page, level):
    """The page's nearest ancestor (or itself) of ``level``; without one (a case hung
    straight under a district has no street), the nearest organisation above."""
    model = level_models()[level]
    found = model.objects.ancestor_of(page, inclusive=True).order_by("-depth").first()
    if found is None:
        found = (
            OrganisationPage.objects.ancestor_of(page, inclusive=True).order_by("-depth").first()
        )
    return found


def reviewer_ids(page, level):
    """Ids of the users the task of ``level`` on ``page`` is assigned to (see above)."""
    target = level_page(page, level)
    if target is None:
        return []
    ancestors = list(
        target.get_ancestors(inclusive=True).filter(depth__gt=1).order_by("-depth")
        .values_list("pk", flat=True)
    )  # fmt: skip
    rows = UserObjectPermission.objects.filter(
        content_type=_page_ct(),
        object_pk__in=[str(pk) for pk in ancestors],
        permission__codename__in=REVIEWER.codenames,
        user__is_active=True,
    ).values_list("user_id", "object_pk", "permission__codename")
    held = {}
    for user_id, object_pk, codename in rows:
        held.setdefault(int(object_pk), {}).setdefault(user_id, set()).add(codename)
    for pk in ancestors:
        ids = sorted(uid for uid, codes in held.get(pk, {}).items() if REVIEWER.codenames <= codes)
        if ids:
            return ids
    return []


def reviewers_for(page, level):
    ids = reviewer_ids(page, level)
    return list(get_user_model()._default_manager.filter(pk__in=ids).order_by("username"))


def user_can_review(user, page, level):
    """Whether ``user`` may approve or send back the ``level`` task on ``page``.

    Cached on the user object for the request (the edit view asks several times)."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    cache = user.__dict__.setdefault(_CACHE, {})
    target = _cached_level_page(cache, page, level)
    # Pages routed to the same organisation share one answer.
    key = ("target", target.pk if target else None, level)
    if key not in cache:
        cache[key] = target is not None and user.pk in reviewer_ids(target, level)
    return cache[key]


def _cached_level_page(cache, page, level):
    """``level_page`` for a listing's rows without a query per row: a page that is not of
    the level's type finds it among its parent's ancestors, which its siblings share."""
    model = level_models()[level]
    cls = page.specific_class
    if cls is None or issubclass(cls, model):
        return level_page(page, level)
    parent_path = page.path[: -Page.steplen]
    key = ("level", parent_path, level)
    if key not in cache:
        cache[key] = (
            model.objects.filter(path__in=_prefixes(parent_path)).order_by("-depth").first()
        )
    if cache[key] is not None:
        return cache[key]
    if issubclass(cls, OrganisationPage):
        return page  # no such level above: the nearest organisation is the page itself
    key = ("organisation", parent_path)
    if key not in cache:
        cache[key] = (
            OrganisationPage.objects.filter(path__in=_prefixes(parent_path))
            .order_by("-depth").first()
        )  # fmt: skip
    return cache[key]


def _prefixes(path):
    return [path[:end] for end in range(Page.steplen, len(path) + 1, Page.steplen)]


def has_reviewer_grants(user):
    """Cheap pre-check: users without any publish grant review nothing."""
    return UserObjectPermission.objects.filter(
        user=user, content_type=_page_ct(), permission__codename="publish_page"
    ).exists()


def forget(user):
    user.__dict__.pop(_CACHE, None)
