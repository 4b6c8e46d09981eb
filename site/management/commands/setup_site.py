from django.core.management.base import BaseCommand
from django.db import transaction

from gongjian_site.plugins import plugin_hooks


class Command(BaseCommand):
    help = "Run every installed plugin's setup() in dependency order (safe to run again)."

    def handle(self, *args, **options):
        for config, setup in plugin_hooks("setup", "setup"):
            with transaction.atomic():
                setup()
            self.stdout.write(f"setup: {config.label} ({config.verbose_name})")
        self.stdout.write(self.style.SUCCESS("站点设置完成"))
