from django.db import migrations

from kollegium.organisations.reference_data import load_reference_data


def load(apps, schema_editor):
    load_reference_data(
        apps.get_model("organisations", "Subject"), apps.get_model("organisations", "Stage")
    )


class Migration(migrations.Migration):
    dependencies = [("organisations", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
