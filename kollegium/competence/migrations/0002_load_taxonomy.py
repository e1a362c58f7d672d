from django.db import migrations


def load(apps, schema_editor):
    from kollegium.competence.loading import sync_taxonomy

    sync_taxonomy(
        area_model=apps.get_model("competence", "SkillArea"),
        skill_model=apps.get_model("competence", "Skill"),
    )


class Migration(migrations.Migration):
    dependencies = [("competence", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
