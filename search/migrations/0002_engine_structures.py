from django.db import migrations

from search.engine_sql import create_v1, drop


class Migration(migrations.Migration):
    dependencies = [("search", "0001_index")]

    operations = [migrations.RunPython(create_v1, drop)]
