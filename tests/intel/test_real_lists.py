"""The three real-world botnet sheets (Vietnamese headers, VNCERT template, Shadowserver)
imported against the sample city's address plan give the listed addresses per unit that
the samples' expected.json states. Read from ../shared/samples; skipped when absent."""

from __future__ import annotations

import csv
import ipaddress
import json

import pytest

from citysoc.core.models import Unit
from citysoc.intel import importing
from citysoc.intel.models import Sighting
from tests import factories, samples

pytestmark = pytest.mark.django_db

BOTNET = "threat-intel/botnet-list"
KINDS = {"isp": Unit.Kind.ISP, "ward": Unit.Kind.WARD, "commune": Unit.Kind.WARD}
KINDS |= {"school": Unit.Kind.SCHOOL, "enterprise": Unit.Kind.ENTERPRISE}
KINDS |= {"department": Unit.Kind.DEPARTMENT}


@pytest.fixture
def sample_city(city):
    units: dict[str, Unit] = {}
    with samples.sample(f"{BOTNET}/units-ranges.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            code = row["unit_code"]
            if code not in units:
                kind = KINDS.get(row["unit_kind"], Unit.Kind.OTHER)
                units[code] = factories.make_unit(
                    code, kind=kind, parent=city, name=row["unit_name"]
                )
            factories.make_range(units[code], row["cidr"])
    return units


@pytest.mark.samples
@pytest.mark.parametrize(
    "name", ["botnet-vi.xlsx", "vncert-template.xlsx", "shadowserver-drone.csv"]
)
def test_real_sheet_matches_expected(sample_city, name):
    expected = json.loads(samples.sample(f"{BOTNET}/expected.json").read_text())[name]
    source = importing.source_named(f"sample {name}")
    version, _ = importing.receive(source, samples.sample(f"{BOTNET}/{name}").read_bytes(), name)
    result = importing.process(version)
    assert result.rows == expected["rows"]
    assert result.indicators == expected["valid"]
    assert len(result.rejected) == len(expected["rejected_rows"])
    distinct = {
        str(ipaddress.ip_address(v)) for v in version.indicators.values_list("value", flat=True)
    }
    assert len(distinct) == expected["distinct_ips"]
    got: dict[str, set[str]] = {}
    for code, ip in Sighting.objects.filter(version=version).values_list("unit__code", "ip"):
        got.setdefault(code, set()).add(ip)
    want = {code: set(ips) for code, ips in expected["listed_ips_per_unit"].items()}
    assert got == want
