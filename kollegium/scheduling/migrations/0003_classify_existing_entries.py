"""Entries imported before lessons were classified: meetings, duty, travel and lunch become
other busy time (and lose the "subject" their title gave them)."""

from django.db import migrations


def classify_existing(apps, schema_editor):
    from kollegium.scheduling.core.lessons import classify

    entry_model = apps.get_model("scheduling", "TimetableEntry")
    changed = []
    rows = entry_model.objects.exclude(source="manual").filter(kind="lesson", reason="")
    for entry in rows.iterator(chunk_size=2000):
        verdict = classify(title=entry.title or entry.subject)
        entry.reason = verdict.reason
        if not verdict.is_lesson:
            entry.kind, entry.subject, entry.group_name = "busy", "", ""
        changed.append(entry)
        if len(changed) >= 2000:
            entry_model.objects.bulk_update(changed, ["kind", "reason", "subject", "group_name"])
            changed = []
    entry_model.objects.bulk_update(changed, ["kind", "reason", "subject", "group_name"])


class Migration(migrations.Migration):
    dependencies = [("scheduling", "0002_lesson_classification")]
    operations = [migrations.RunPython(classify_existing, migrations.RunPython.noop)]
