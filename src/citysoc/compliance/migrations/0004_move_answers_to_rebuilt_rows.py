"""Move assessment answers from replaced library rows to the rows that replace them.

The loader does this whenever a library version replaces rows (the Circular 12 rebuild of
the Decree 85 library, version 3). This migration runs the same code once for a database
where the new rows were loaded before this migration existed. Nothing is deleted that holds
an answer or evidence; what could not be moved is listed on the assessment.
"""

from django.db import migrations


def move_answers(apps, schema_editor):
    from citysoc.compliance import remap

    remap.remap_all(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("compliance", "0003_library_rows_guidance_and_remap"),
    ]

    operations = [
        migrations.RunPython(move_answers, migrations.RunPython.noop),
    ]
