from django.db import migrations

from search.engine_sql import create_facet_index, drop_facet_index


class Migration(migrations.Migration):
    dependencies = [("search", "0002_engine_structures")]

    operations = [migrations.RunPython(create_facet_index, drop_facet_index)]
