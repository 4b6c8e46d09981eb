from django.db import migrations

from search.engine_sql import create_vocabulary


class Migration(migrations.Migration):
    dependencies = [("search", "0004_fields_and_thesaurus")]

    operations = [migrations.RunPython(create_vocabulary, migrations.RunPython.noop)]
