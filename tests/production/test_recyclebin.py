"""The recycle bin, through the real admin views: delete, bulk delete, list, restore, purge."""

import io
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from wagtail.models import GroupPagePermission, Page, ReferenceIndex, Revision

from plugins.orgs.models import CommunityPage, StreetPage
from plugins.recyclebin.models import BinEntry, RecycleBinPage
from tests.conftest import login

CONFIRM = {"confirm_site_name": "共建"}


def deletable_children(page):
    """Children that nothing protects (appointments PROTECT the pages they point at)."""
    return [
        child
        for child in page.get_children().order_by("path")
        if not ReferenceIndex.get_references_to(child).group_by_source_object().is_protected
    ]


def subtree_ids(page):
    return set(Page.objects.descendant_of(page, inclusive=True).values_list("pk", flat=True))


def revision_count(ids):
    return Revision.objects.filter(
        base_content_type__app_label="wagtailcore", object_id__in=[str(i) for i in ids]
    ).count()


@pytest.fixture
def community(demo):
    """A community with children (grid branches, party groups) and no appointments:
    a page that appointments point at is protected from deletion (even into the bin)."""
    return CommunityPage.objects.get(slug="jinxiu")


def delete_in_admin(client, page):
    return client.post(reverse("wagtailadmin_pages:delete", args=[page.pk]), CONFIRM)


def restore_in_admin(client, entry):
    return client.post(reverse("recyclebin:restore", args=[entry.pk]))


@pytest.mark.django_db
def test_delete_moves_the_subtree_with_its_revisions_into_the_bin(admin_client_demo, community):
    parent = community.get_parent()
    ids = subtree_ids(community)
    revisions = revision_count(ids)
    url = community.url
    assert admin_client_demo.get(url).status_code == 200

    confirm = admin_client_demo.get(reverse("wagtailadmin_pages:delete", args=[community.pk]))
    assert confirm.status_code == 200
    assert not BinEntry.objects.exists()  # showing the confirmation moves nothing

    response = delete_in_admin(admin_client_demo, community)
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_explore", args=[parent.pk])

    bin_page = RecycleBinPage.objects.get()
    assert Page.objects.filter(pk__in=ids).count() == len(ids)  # nothing deleted
    assert all(p.path.startswith(bin_page.path) for p in Page.objects.filter(pk__in=ids))
    assert revision_count(ids) == revisions
    entry = BinEntry.objects.get()
    assert entry.page_id == community.pk
    assert entry.original_parent_id == parent.pk
    assert entry.deleted_by.username == "admin"
    assert entry.descendant_count == len(ids) - 1
    assert timezone.now() - entry.deleted_at < timedelta(minutes=1)

    # Gone from every public view.
    public = Page.objects.live().public()
    assert not public.filter(pk__in=ids).exists()
    assert admin_client_demo.get(url).status_code == 404
    assert community.url_path not in admin_client_demo.get("/sitemap.xml").content.decode()
    api = admin_client_demo.get("/api/v2/pages/?limit=100").json()
    assert not {item["id"] for item in api["items"]} & ids
    assert admin_client_demo.get(f"/api/v2/pages/{community.pk}/").status_code == 404
    # and hidden from the explorer at the root
    explore = admin_client_demo.get(reverse("wagtailadmin_explore_root"))
    assert explore.status_code == 200
    assert f'/admin/pages/{bin_page.pk}/"' not in explore.content.decode()


@pytest.mark.django_db
def test_restore_brings_the_subtree_back_to_its_place(admin_client_demo, community):
    parent = community.get_parent()
    url_path, ids = community.url_path, subtree_ids(community)
    delete_in_admin(admin_client_demo, community)
    entry = BinEntry.objects.get()

    listing = admin_client_demo.get(reverse("recyclebin:index"))
    assert listing.status_code == 200
    assert community.title in listing.content.decode()
    assert reverse("recyclebin:restore", args=[entry.pk]) in listing.content.decode()

    response = restore_in_admin(admin_client_demo, entry)
    assert response.status_code == 302
    restored = Page.objects.get(pk=community.pk)
    assert restored.get_parent().pk == parent.pk
    assert restored.url_path == url_path
    assert set(Page.objects.live().public().filter(pk__in=ids).values_list("pk", flat=True)) == ids
    assert not BinEntry.objects.exists()
    assert admin_client_demo.get(restored.url).status_code == 200
    assert "已恢复" in admin_client_demo.get(reverse("recyclebin:index")).content.decode()


@pytest.mark.django_db
def test_bulk_delete_moves_every_selected_page(admin_client_demo, demo):
    street = StreetPage.objects.order_by("path").first()
    children = deletable_children(street)[:2]
    assert len(children) == 2
    query = "&".join(f"id={child.pk}" for child in children)
    url = reverse("wagtail_bulk_action", args=["wagtailcore", "page", "delete"])
    next_url = reverse("wagtailadmin_explore", args=[street.pk])
    response = admin_client_demo.post(f"{url}?{query}&next={next_url}", CONFIRM)
    assert response.status_code == 302
    assert set(BinEntry.objects.values_list("page_id", flat=True)) == {c.pk for c in children}
    for child in children:
        assert Page.objects.filter(pk=child.pk).exists()
        entry = BinEntry.objects.get(page=child)
        assert entry.original_parent_id == street.pk


@pytest.mark.django_db
def test_only_a_user_who_could_delete_it_may_restore(client, demo, community):
    street = community.get_parent()
    editors = Group.objects.create(name="街道编辑")
    editors.permissions.add(Permission.objects.get(codename="access_admin"))
    perms = ("add_page", "change_page", "delete_page", "bulk_delete_page", "publish_page")
    for codename in perms:
        GroupPagePermission.objects.create(
            group=editors, page=street, permission=Permission.objects.get(codename=codename)
        )
    editor = login(client, "secretary_a")
    editor.groups.add(editors)
    assert delete_in_admin(client, community).status_code == 302
    entry = BinEntry.objects.get()
    assert entry.deleted_by == editor

    outsider = login(client, "member_b")
    assert community.title not in client.get(reverse("recyclebin:index")).content.decode()
    denied = restore_in_admin(client, entry)
    # Wagtail's admin turns PermissionDenied into a redirect home with an error message.
    assert denied.status_code == 302 and denied["Location"] == reverse("wagtailadmin_home")
    assert BinEntry.objects.filter(pk=entry.pk).exists()
    assert outsider.pk != editor.pk

    login(client, "secretary_a")
    assert community.title in client.get(reverse("recyclebin:index")).content.decode()
    assert restore_in_admin(client, entry).status_code == 302
    assert Page.objects.get(pk=community.pk).get_parent().pk == street.pk


@pytest.mark.django_db
def test_restore_reports_a_missing_parent(admin_client_demo, community):
    grid = community.get_children().first()
    delete_in_admin(admin_client_demo, grid)
    community.delete()  # the parent goes for good, outside the admin
    entry = BinEntry.objects.get()
    assert entry.original_parent is None

    response = restore_in_admin(admin_client_demo, entry)
    assert response.status_code == 302
    page = admin_client_demo.get(reverse("recyclebin:index")).content.decode()
    assert "已不存在" in page
    assert BinEntry.objects.filter(pk=entry.pk).exists()


@pytest.mark.django_db
def test_restore_refuses_when_the_parent_is_in_the_bin_too(admin_client_demo, community):
    grid = community.get_children().first()
    delete_in_admin(admin_client_demo, grid)
    delete_in_admin(admin_client_demo, community)
    entry = BinEntry.objects.get(page=grid)
    restore_in_admin(admin_client_demo, entry)
    assert "也在回收站中" in admin_client_demo.get(reverse("recyclebin:index")).content.decode()
    assert RecycleBinPage.objects.get().pk in {
        p.pk for p in Page.objects.get(pk=grid.pk).get_ancestors()
    }


@pytest.mark.django_db
def test_expired_pages_cannot_be_restored_and_are_purged(admin_client_demo, community, settings):
    settings.RECYCLE_BIN_RETENTION_DAYS = 30
    old_ids = subtree_ids(community)
    delete_in_admin(admin_client_demo, community)
    street = StreetPage.objects.order_by("path").last()
    fresh = street.get_children().first()
    delete_in_admin(admin_client_demo, fresh)
    old = BinEntry.objects.get(page_id=community.pk)
    BinEntry.objects.filter(pk=old.pk).update(deleted_at=timezone.now() - timedelta(days=31))
    old.refresh_from_db()

    restore_in_admin(admin_client_demo, old)
    assert "保留期限" in admin_client_demo.get(reverse("recyclebin:index")).content.decode()
    assert Page.objects.filter(pk=community.pk).exists()

    out = io.StringIO()
    call_command("purge_recycle_bin", stdout=out)
    assert "共彻底删除 1 项" in out.getvalue()
    assert not Page.objects.filter(pk__in=old_ids).exists()
    assert revision_count(old_ids) == 0
    assert BinEntry.objects.filter(page_id=fresh.pk).exists()
    assert Page.objects.filter(pk=fresh.pk).exists()


@pytest.mark.django_db
def test_deleting_inside_the_bin_is_for_good(admin_client_demo, community):
    delete_in_admin(admin_client_demo, community)
    response = delete_in_admin(admin_client_demo, Page.objects.get(pk=community.pk))
    assert response.status_code == 302
    assert not Page.objects.filter(pk=community.pk).exists()
    assert not BinEntry.objects.exists()


@pytest.mark.django_db
def test_the_menu_item_shows_for_editors_only(client, demo):
    login(client, "admin")
    assert reverse("recyclebin:index") in client.get(reverse("wagtailadmin_home")).content.decode()
    # A user who may use the admin but delete nothing (demo members edit their units).
    nobody = get_user_model().objects.create_user("nobody", password="x")
    nobody.groups.add(Group.objects.get(name="共建用户"))
    client.force_login(nobody)
    home = client.get(reverse("wagtailadmin_home"))
    assert home.status_code == 200
    assert reverse("recyclebin:index") not in home.content.decode()


@pytest.mark.django_db
def test_setup_creates_one_hidden_bin(demo):
    call_command("setup_site", stdout=io.StringIO())
    bin_page = RecycleBinPage.objects.get()
    assert bin_page.depth == 2
    assert not bin_page.live and not bin_page.show_in_menus
    assert bin_page.get_view_restrictions().exists()
    assert get_user_model().objects.exists()


@pytest.mark.django_db
def test_the_bin_listing_does_not_grow_queries_per_entry(
    admin_client_demo, demo, django_assert_max_num_queries
):
    children = [c for s in StreetPage.objects.order_by("path") for c in deletable_children(s)]
    for child in children:
        delete_in_admin(admin_client_demo, child)
    assert BinEntry.objects.count() == len(children) >= 3
    with django_assert_max_num_queries(25):
        response = admin_client_demo.get(reverse("recyclebin:index"))
    assert response.status_code == 200


@pytest.mark.django_db
def test_binned_pages_leave_the_admin_page_search(admin_client_demo, community):
    search = reverse("wagtailadmin_pages:search")
    found = admin_client_demo.get(search, {"q": community.title})
    assert found.status_code == 200
    assert reverse("wagtailadmin_pages:edit", args=[community.pk]) in found.content.decode()
    delete_in_admin(admin_client_demo, community)
    gone = admin_client_demo.get(search, {"q": community.title})
    assert gone.status_code == 200
    assert reverse("wagtailadmin_pages:edit", args=[community.pk]) not in gone.content.decode()
    # The bin's own listing still offers it for restoring.
    assert community.title in admin_client_demo.get(reverse("recyclebin:index")).content.decode()


@pytest.mark.django_db
def test_pages_sharing_a_slug_can_share_the_bin_and_come_back_with_it(admin_client_demo, demo):
    from plugins.orgs.models import GridBranchPage

    parents = list(CommunityPage.objects.order_by("path")[:2])
    pages = []
    for parent in parents:
        page = GridBranchPage(title=f"{parent.title}第九网格", slug="grid-9")
        parent.add_child(instance=page)
        page.save_revision().publish()
        pages.append(page)
    for page in pages:
        assert delete_in_admin(admin_client_demo, page).status_code == 302
    binned = [Page.objects.get(pk=page.pk) for page in pages]
    assert all(page.get_parent().specific_class is RecycleBinPage for page in binned)
    assert len({page.slug for page in binned}) == 2
    for page in pages:
        assert restore_in_admin(admin_client_demo, page.recycle_bin_entry).status_code == 302
    for page, parent in zip(pages, parents, strict=True):
        back = Page.objects.get(pk=page.pk)
        assert back.slug == "grid-9"
        assert back.get_parent().pk == parent.pk
        assert back.url_path == parent.url_path + "grid-9/"
