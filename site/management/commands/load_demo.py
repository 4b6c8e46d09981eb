from django.apps import apps
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from gongjian_site import changes
from gongjian_site.models import PluginProfile
from gongjian_site.pages import pages_without_live_revision, record_live_revisions
from gongjian_site.plugins import plugin_hooks
from search.indexing import defer_indexing


def has_organisations():
    """Through the app registry: the core imports no plugin (orgs may be left out)."""
    if not apps.is_installed("plugins.orgs"):
        return False
    return apps.get_model("orgs", "OrganisationPage").objects.exists()


class Command(BaseCommand):
    help = (
        "Load the demo city, users and content (idempotent). "
        "Runs setup_site first, then each plugin's demo in dependency order."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="only when the database has no organisation page yet (what `make run` uses)",
        )

    def handle(self, *args, **options):
        if options["if_empty"] and has_organisations():
            self.stdout.write("已有组织页面，跳过演示数据")
            return
        call_command("setup_site", stdout=self.stdout)
        for config, load in plugin_hooks("demo", "load_demo"):
            # What a demo saves is indexed, and what it changes reaches the archive search
            # and the page cache, once when the demo is done rather than at every save.
            with transaction.atomic(), changes.batch(), defer_indexing():
                load(self.stdout)
                # Shown in 设置 › 插件管理: whose demo content this site carries.
                PluginProfile.objects.filter(label=config.label).update(
                    demo_loaded_at=timezone.now()
                )
            self.stdout.write(f"demo: {config.label}")
        # Every demo page starts with the revision publishing would have left, so an
        # editor can compare a draft with the original and restore it.
        with transaction.atomic():
            made = record_live_revisions(pages_without_live_revision())
        self.stdout.write(f"  首个版本：{len(made)} 个页面")
        # What only makes sense once every demo ran (e.g. the list of demo accounts).
        for _config, after_all in plugin_hooks("demo", "after_all"):
            after_all(self.stdout)
        # Demo content is made in code, not published through the editor, so the
        # archive search is rebuilt once at the end (as bakerydemo rebuilds its indexes).
        call_command("rebuild_search_index", stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("演示数据已就绪（仅供演示，请勿用于生产）"))
