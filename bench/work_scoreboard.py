"""Benchmark: the work page, the scoreboard and the weekly report over the demo city.

    .venv/bin/python bench/work_scoreboard.py [--requests 20] [--keep]

Uses SQLite in a temporary CITYSOC_DATA_DIR, or, when DATABASE_URL points at PostgreSQL, a
fresh database `<name>_bench_<pid>` (dropped at the end unless --keep). Migrates, loads the
demo city (`citysoc demo`), then as the city administrator and as one ward's officer requests
`/work/`, `/api/my-work/`, `/reports/` and `/api/scoreboard/`, and writes the weekly report in
the three formats; prints the server time and the SQL queries per request. The query count
must not grow with the number of units or items (one or two per registered area).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from host_list import measure, prepare_database, report  # noqa: E402 - the sibling bench

PAGES = ["/work/", "/api/my-work/", "/reports/", "/api/scoreboard/"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    opts = parser.parse_args()
    os.environ["DJANGO_SETTINGS_MODULE"] = "citysoc.settings"
    os.environ.setdefault("DEBUG", "1")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    label, cleanup = prepare_database(opts.keep)
    try:
        return run(opts, label)
    finally:
        cleanup()


def run(opts, label: str) -> int:
    citysoc = Path(sys.executable).with_name("citysoc")
    subprocess.run([str(citysoc), "migrate", "-v", "0"], check=True)  # noqa: S603 - our own CLI
    subprocess.run([str(citysoc), "demo"], check=True, capture_output=True)  # noqa: S603
    import django

    django.setup()
    from django.test import Client
    from django.test.utils import setup_test_environment

    from citysoc.core.models import Person, Unit
    from citysoc.reports import periodic

    setup_test_environment()
    print(f"database: {label}")
    for role in (Person.Role.CITY_ADMIN, Person.Role.UNIT_ADMIN):
        person = Person.objects.filter(role=role, user__isnull=False).order_by("pk").first()
        client = Client()
        client.force_login(person.user)
        print(f"\nas {role} of {person.unit.name}:")
        for page in PAGES:
            timings, queries = measure(client, page, [""], opts.requests)
            print(f"{page}", end="")
            report(timings, queries)
    figures = periodic.figures("weekly", Unit.objects.all())
    for fmt in ("docx", "pdf", "xlsx"):
        start = time.perf_counter()
        size = len(periodic.render(figures, fmt))
        print(f"weekly report {fmt}: {len(figures.rows)} units, {size} bytes in "
              f"{(time.perf_counter() - start) * 1000:.0f} ms")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
