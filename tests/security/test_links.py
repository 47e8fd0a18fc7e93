"""Item 4 of the security review: a URL from outside never becomes a live script link,
and every response carries a Content-Security-Policy that refuses inline script."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from django.template import Context, Template

from citysoc.alerts.models import Alert, AlertSource
from citysoc.lib.links import is_safe_external_url

SRC = Path(__file__).resolve().parents[2] / "src" / "citysoc"

UNSAFE = [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "  javascript:alert(1)",
    "java\tscript:alert(1)",
    "java\nscript:alert(1)",
    "\x01javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "file:///etc/passwd",
    "//evil.example/x",
    "/relative/path",
    "https:///no-host",
    "",
    None,
]


@pytest.mark.parametrize("url", UNSAFE)
def test_a_non_web_address_is_shown_as_text_not_as_a_link(url):
    assert not is_safe_external_url(url)
    html = Template("{% load links %}{{ url|external_link }}").render(Context({"url": url}))
    assert "<a " not in html
    assert "href" not in html
    assert "<script" not in html


def test_a_web_address_becomes_an_escaped_link_opening_apart():
    url = 'https://wiki.example/run?a=1&b="><img src=x>'
    html = Template("{% load links %}{{ url|external_link:30 }}").render(Context({"url": url}))
    escaped = "https://wiki.example/run?a=1&amp;b=&quot;&gt;&lt;img src=x&gt;"
    assert html.startswith(f'<a href="{escaped}"')
    assert 'rel="noopener noreferrer"' in html
    assert 'target="_blank"' in html
    assert "<img" not in html
    assert ">https://wiki.example/run?a=1&amp;…</a>" in html


def _post_alertmanager(client, unit, generator: str, runbook: str) -> Alert:
    source = AlertSource(unit=unit, kind="alertmanager", name="prometheus")
    token = source.new_token()
    source.save()
    body = {
        "version": "4",
        "status": "firing",
        "receiver": "citysoc",
        "alerts": [
            {
                "status": "firing",
                "labels": {"alertname": "HostDown", "severity": "critical"},
                "annotations": {"summary": "web01 is down", "runbook_url": runbook},
                "startsAt": "2026-11-29T01:02:03Z",
                "endsAt": "0001-01-01T00:00:00Z",
                "generatorURL": generator,
                "fingerprint": "5c8a1f4e2b9d7a03",
            }
        ],
    }
    response = client.post(
        "/api/alerts/intake/alertmanager/",
        json.dumps(body),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code == 202, response.content
    return Alert.objects.get(source=source)


@pytest.mark.django_db
def test_an_alertmanager_javascript_link_is_not_clickable_on_the_alert_page(
    client, unit_a, officer_a
):
    alert = _post_alertmanager(
        client, unit_a, "javascript:fetch('/api/tokens/')", "https://wiki.example/runbooks/down"
    )
    client.force_login(officer_a)
    page = client.get(f"/alerts/{alert.pk}/").content.decode()
    assert "javascript:fetch" in page  # still shown, as text
    assert not re.search(r"href=[\"']?\s*javascript:", page, re.I)
    assert '<a href="https://wiki.example/runbooks/down" rel="noopener noreferrer"' in page


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/accounts/login/", "/api/units/", "/no-such-page/"])
def test_every_response_carries_a_policy_without_inline_script(client, officer_a, path):
    client.force_login(officer_a)
    policy = client.get(path).headers["Content-Security-Policy"]
    directives = {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}
    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'"]  # no 'unsafe-inline', no 'unsafe-eval'
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["object-src"] == ["'none'"]


TEMPLATES = sorted(SRC.glob("*/templates/**/*.html"))
# Internal addresses computed by citysoc's own views; everything else must use |external_link.
# Links the code builds with reverse() (drill-downs, work items), never from stored text.
INTERNAL_HREFS = {"item.url", "header.url", "sources_url", "area.url", "cell.url"}


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: str(p.relative_to(SRC)))
def test_templates_have_no_inline_script_and_no_raw_external_href(path):
    text = path.read_text(encoding="utf-8")
    # A <script> must load a static file: inline code would be refused by the policy.
    for tag in re.findall(r"<script\b[^>]*>", text, re.I):
        assert "src=" in tag, f"inline <script> in {path.name}"
    assert not re.search(r"<[^>]+\son[a-z]+\s*=", text, re.I), f"on…= handler in {path.name}"
    for var in re.findall(r"href=[\"']?\{\{\s*([\w.]+)", text):
        assert var in INTERNAL_HREFS, f"{path.name}: use {{{{ {var}|external_link }}}}"
