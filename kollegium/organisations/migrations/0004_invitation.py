"""Invitations move here from the accounts app, with their table (accounts_invitation) as it
is: joining a school is this app's business, and accounts (below it) no longer imports it.
Only Django's model state changes, and the content type follows the model."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def move_content_type(apps, schema_editor, old="accounts", new="organisations"):
    content_type = apps.get_model("contenttypes", "ContentType")
    if not content_type.objects.filter(app_label=new, model="invitation").exists():
        content_type.objects.filter(app_label=old, model="invitation").update(app_label=new)


def move_content_type_back(apps, schema_editor):
    move_content_type(apps, schema_editor, old="organisations", new="accounts")


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_session_with_person"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("organisations", "0003_ownerstaff"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Invitation",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("email", models.EmailField(max_length=254, verbose_name="email address")),
                        (
                            "full_name",
                            models.CharField(blank=True, max_length=150, verbose_name="name"),
                        ),
                        (
                            "role",
                            models.CharField(
                                choices=[
                                    ("teacher", "teacher"),
                                    ("facilitator", "facilitator"),
                                    ("leader", "leader"),
                                    ("administrator", "administrator"),
                                ],
                                default="teacher",
                                max_length=20,
                                verbose_name="role",
                            ),
                        ),
                        ("token_hash", models.CharField(max_length=64, unique=True)),
                        ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                        ("expires_at", models.DateTimeField()),
                        ("accepted_at", models.DateTimeField(blank=True, null=True)),
                        ("revoked_at", models.DateTimeField(blank=True, null=True)),
                        (
                            "accepted_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "invited_by",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "school",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="invitations",
                                to="organisations.organisation",
                                verbose_name="school",
                            ),
                        ),
                        (
                            "team",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="invitations",
                                to="organisations.team",
                                verbose_name="team",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "invitation",
                        "verbose_name_plural": "invitations",
                        "db_table": "accounts_invitation",
                        "ordering": ["-created_at"],
                        "indexes": [
                            models.Index(
                                fields=["school", "email"], name="accounts_in_school__4820ce_idx"
                            )
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_type, move_content_type_back),
    ]
