"""Notifications keep a message key and parameters, rendered in the reader's language (issue 16).

Rows from before have only the words they were sent with. Where a title is one of the
messages the apps sent then, in Swedish or English, its key and parameters are recovered
(the parameters stay in the language they were written in: a group's name, a person's);
the body is kept as written. Any other row keeps showing its stored words.
"""

import re

from django.db import migrations, models
from django.utils import translation

# The titles the apps sent before this migration (msgids, English).
TITLES = (
    "A colleague asks about %(skills)s",
    "%(name)s answered your question",
    "Your answer helped: it was accepted",
    "Meeting tomorrow: %(group)s",
    "How did it go? Your commitment in %(group)s",
    "Your talk “%(title)s” has been moved",
    "Your talk “%(title)s” has been removed",
    "%(name)s asks you to observe a lesson",
    "%(name)s agreed to the observation",
    "%(name)s declined the observation",
    "%(name)s proposes a new time for the observation",
    "%(name)s cancelled the observation",
    "%(name)s chose the focus for the observation",
    "%(name)s wrote feedback on your lesson",
    "%(name)s booked the debrief",
    "Observation round “%(title)s”: please answer your proposed pairs",
    "Your observation in the round “%(title)s” is confirmed",
    "A pair in the round “%(title)s” was declined",
    "A new lesson is proposed in the round “%(title)s”",
    "An accessibility problem was reported",
)
PLACEHOLDER = re.compile(r"%\\\((\w+)\\\)s")


def _patterns():
    found = []
    for key in TITLES:
        for language in ("sv", "en"):
            with translation.override(language):
                text = translation.gettext(key)
            pattern = PLACEHOLDER.sub(r"(?P<\1>.+)", re.escape(text))
            found.append((re.compile(f"^{pattern}$", re.DOTALL), key))
    return found


def message_of(title, body, patterns):
    for pattern, key in patterns:
        match = pattern.match(title)
        if match:
            message = {"title": {"k": key}}
            if match.groupdict():
                message["params"] = dict(match.groupdict())
            if body:
                message["body"] = {"t": body}
            return message
    return None


def recover_keys(apps, schema_editor):
    Notification = apps.get_model("core", "Notification")
    patterns = _patterns()
    batch = []
    for row in Notification.objects.only("pk", "title", "body").iterator(chunk_size=2000):
        message = message_of(row.title, row.body, patterns)
        if message is not None:
            row.message = message
            batch.append(row)
        if len(batch) >= 2000:
            Notification.objects.bulk_update(batch, ["message"])
            batch = []
    if batch:
        Notification.objects.bulk_update(batch, ["message"])


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0003_home_version"),
    ]

    operations = [
        migrations.AddField(
            model_name="notification",
            name="message",
            field=models.JSONField(blank=True, default=dict),
        ),
        migrations.RunPython(recover_keys, migrations.RunPython.noop),
    ]
