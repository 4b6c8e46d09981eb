"""The covering facet index again (SQLite). 0003 created it by hand, and 0004's new
columns made Django rebuild the table, which dropped every index Django does not know
of: databases migrated from scratch have been without it, and the facet pass read each
sampled match's whole row (past its body and tokens) instead of the index."""

from django.db import migrations

from search.engine_sql import create_facet_index


class Migration(migrations.Migration):
    dependencies = [("search", "0006_collapse_index")]

    operations = [migrations.RunPython(create_facet_index, migrations.RunPython.noop)]
