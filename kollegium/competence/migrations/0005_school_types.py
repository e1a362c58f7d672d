import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("competence", "0004_endorsements_only_from_level_3"),
        ("organisations", "0004_invitation"),
    ]

    operations = [
        migrations.CreateModel(
            name="SchoolTypes",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("keys", models.CharField(max_length=100, verbose_name="school types")),
                ("updated_at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "school",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="competence_types",
                        to="organisations.organisation",
                    ),
                ),
            ],
            options={
                "verbose_name": "school types",
                "verbose_name_plural": "school types",
            },
        ),
        migrations.AlterField(
            model_name="competenceprofile",
            name="visible_in_network",
            field=models.BooleanField(
                default=False,
                help_text="Unticked, only colleagues at your own school see your skills.",
                verbose_name="show my skills to colleagues in our school networks",
            ),
        ),
    ]
