"""Endorsements are for levels 3–4: remove those that earlier versions let through below that."""

from django.db import migrations


def remove_endorsements_below_level_3(apps, schema_editor):
    Endorsement = apps.get_model("competence", "Endorsement")
    Endorsement.objects.filter(skill_level__level__lt=3).delete()


class Migration(migrations.Migration):
    dependencies = [("competence", "0003_drop_skill_level_index")]

    operations = [
        migrations.RunPython(remove_endorsements_below_level_3, migrations.RunPython.noop),
    ]
