"""Honours written before names were shown family name first (建国 王) read 王建国."""

import re

from django.db import migrations

_CJK = re.compile(r"[\u3400-\u9fff]")


def family_first(apps, schema_editor):
    Award = apps.get_model("evaluation", "Award")
    for award in Award.objects.exclude(user=None).select_related("user"):
        user = award.user
        western = f"{user.first_name} {user.last_name}".strip()
        if award.person_name == western and _CJK.search(western):
            award.person_name = f"{user.last_name}{user.first_name}"
            award.save(update_fields=["person_name"])


class Migration(migrations.Migration):
    dependencies = [("evaluation", "0001_initial")]

    operations = [migrations.RunPython(family_first, migrations.RunPython.noop)]
