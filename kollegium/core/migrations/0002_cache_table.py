from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    # Sign-in throttling lives in the database cache; without its table nobody can sign in.
    # createcachetable does nothing when the table exists or the cache is not in the database.
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
