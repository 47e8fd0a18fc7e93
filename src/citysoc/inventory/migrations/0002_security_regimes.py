"""The two regimes under which a level can be set, as data with validity dates."""

import datetime

from django.db import migrations

REGIMES = [
    {
        "code": "nd85-2016",
        "name": "Nghị định 85/2016/NĐ-CP (cấp độ an toàn HTTT)",
        "legal_basis": "Luật ATTTM 86/2015; NĐ 85/2016/NĐ-CP; TT 12/2022/TT-BTTTT; TCVN 11930:2017",
        "valid_from": datetime.date(2016, 7, 1),
        "valid_to": datetime.date(2026, 6, 30),
    },
    {
        "code": "nd331-2026",
        "name": "Nghị định 331/2026/NĐ-CP (bảo vệ HTTT theo cấp độ)",
        "legal_basis": "Luật An ninh mạng 116/2025/QH15; NĐ 331/2026/NĐ-CP; TCVN 14423:2026",
        "valid_from": datetime.date(2026, 7, 1),
        "valid_to": None,
    },
]


def load(apps, schema_editor):
    SecurityRegime = apps.get_model("inventory", "SecurityRegime")
    rows = {}
    for data in REGIMES:
        rows[data["code"]], _ = SecurityRegime.objects.update_or_create(
            code=data["code"], defaults={k: v for k, v in data.items() if k != "code"}
        )
    rows["nd85-2016"].superseded_by = rows["nd331-2026"]
    rows["nd85-2016"].save()


class Migration(migrations.Migration):
    dependencies = [("inventory", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
