import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def first_revisions(apps, schema_editor):
    """Minutes written before the history existed become version 1 (author unknown)."""
    Meeting = apps.get_model("groups", "Meeting")
    MinutesRevision = apps.get_model("groups", "MinutesRevision")
    written = Meeting.objects.exclude(minutes="", decisions="").only(
        "pk", "minutes", "decisions", "minutes_updated_at", "updated_at"
    )
    batch = []
    for meeting in written.iterator(chunk_size=2000):
        batch.append(
            MinutesRevision(
                meeting_id=meeting.pk,
                number=1,
                minutes=meeting.minutes,
                decisions=meeting.decisions,
                created_at=meeting.minutes_updated_at or meeting.updated_at,
            )
        )
        if len(batch) >= 2000:
            MinutesRevision.objects.bulk_create(batch)
            batch = []
    MinutesRevision.objects.bulk_create(batch)
    written.update(minutes_revision=1)


class Migration(migrations.Migration):
    dependencies = [
        ("groups", "0003_talk"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="meeting",
            name="minutes_revision",
            field=models.PositiveIntegerField(default=0, editable=False),
        ),
        migrations.CreateModel(
            name="MinutesRevision",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("number", models.PositiveIntegerField(verbose_name="version")),
                ("minutes", models.TextField(blank=True, verbose_name="minutes")),
                ("decisions", models.TextField(blank=True, verbose_name="decisions")),
                (
                    "created_at",
                    models.DateTimeField(default=django.utils.timezone.now, verbose_name="saved"),
                ),
                (
                    "author",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="written by",
                    ),
                ),
                (
                    "meeting",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="minutes_revisions",
                        to="groups.meeting",
                    ),
                ),
            ],
            options={
                "verbose_name": "version of the minutes",
                "verbose_name_plural": "versions of the minutes",
                "ordering": ["-number"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("meeting", "number"), name="groups_minutes_revision_number_once"
                    )
                ],
            },
        ),
        migrations.RunPython(first_revisions, migrations.RunPython.noop),
    ]
