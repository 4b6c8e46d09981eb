from django.db import migrations

from search.engine_sql import create, drop


class Migration(migrations.Migration):
    dependencies = [("search", "0001_index")]

    operations = [migrations.RunPython(create, drop)]
