from django.core.management.base import BaseCommand

from gongjian_site.plugins import apply_profile, profiles


class Command(BaseCommand):
    help = (
        "Install every plugin's profile, or run its pending upgrade steps, in dependency "
        "order (safe to run again: a site that is up to date is left as it is)."
    )

    def handle(self, *args, **options):
        for profile in profiles():
            done = apply_profile(profile, self.stdout)
            what = "，".join(done) if done else f"已是 v{profile.version}"
            self.stdout.write(f"setup: {profile.label} ({profile.name})：{what}")
        self.stdout.write(self.style.SUCCESS("站点设置完成"))
