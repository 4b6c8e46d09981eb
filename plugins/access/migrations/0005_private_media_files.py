"""Existing sites: files of images and documents in restricted collections move out of
MEDIA_ROOT into the private storage (issue 15, gongjian_site.storage).

New files are named there when they are written, and files move when privacy changes
(plugins.access.mediafiles); this step moves the files a site already has. ``restore``
runs ``migrate`` too, and an archive made before this step brings its files back under
MEDIA_ROOT, so they are moved again there.
"""

from django.db import migrations


def move_files(apps, schema_editor):
    from plugins.access.mediafiles import move_misplaced_files

    models = (
        apps.get_model("wagtailimages", "Image"),
        apps.get_model("wagtailimages", "Rendition"),
        apps.get_model("wagtaildocs", "Document"),
    )
    move_misplaced_files(
        models,
        apps.get_model("wagtailcore", "Collection"),
        apps.get_model("wagtailcore", "CollectionViewRestriction"),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("access", "0004_private_unit_collections"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
    ]

    operations = [migrations.RunPython(move_files, migrations.RunPython.noop)]
