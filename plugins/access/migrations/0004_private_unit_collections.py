"""Existing sites: the unit collections become private (issue 15).

``setup()`` does the same for new sites (``ensure_unit_collections``); this step brings a
site that already has the collections up to date on ``migrate``, which ``restore`` runs
too. Wagtail's collection view restriction on the parent covers every unit collection.
"""

from django.db import migrations

UNITS_COLLECTION = "单位图片与文档"  # plugins.access.media.UNITS_COLLECTION at this step
LOGIN = "login"


def make_private(apps, schema_editor):
    Collection = apps.get_model("wagtailcore", "Collection")
    Restriction = apps.get_model("wagtailcore", "CollectionViewRestriction")
    for collection in Collection.objects.filter(name=UNITS_COLLECTION, depth=2):
        if not Restriction.objects.filter(collection=collection).exists():
            Restriction.objects.create(collection=collection, restriction_type=LOGIN)


class Migration(migrations.Migration):
    dependencies = [
        ("access", "0003_local_review_task"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(make_private, migrations.RunPython.noop)]
