"""Feeds used to start with the public KEV/EPSS addresses; now they start empty.

An install where that default was never pulled successfully (no ETag or Last-Modified kept:
typically a network without Internet access, failing and alerting every day) gets its
address emptied, and its stale error cleared. An address the city changed, or one that
worked, is kept.
"""

from django.db import migrations

OLD_DEFAULTS = {
    "kev": "https://www.cisa.gov/sites/default/files/feeds/known_exploited_vulnerabilities.json",
    "epss": "https://epss.empiricalsecurity.com/epss_scores-current.csv.gz",
}


def empty_unused_defaults(apps, schema_editor):
    PriorityFeed = apps.get_model("vulns", "PriorityFeed")
    for kind, url in OLD_DEFAULTS.items():
        PriorityFeed.objects.filter(kind=kind, url=url, etag="", last_modified="").update(
            url="", last_error=""
        )


class Migration(migrations.Migration):
    dependencies = [
        ("vulns", "0003_priority_and_work"),
    ]

    operations = [
        migrations.RunPython(empty_unused_defaults, migrations.RunPython.noop),
    ]
