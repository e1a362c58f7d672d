"""Invitations now belong to the organisations app (its migration 0004 takes the model and
its table as they are); only Django's model state changes here."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_session_with_person"),
        ("organisations", "0004_invitation"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="Invitation")],
            database_operations=[],
        ),
    ]
