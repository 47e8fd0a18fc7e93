"""Alert source pages: a unit's senders of alerts, their tokens, set-up help and heartbeats.

Sources come only through `visible_to(user)` (another unit's is 404); making, changing and
re-keying a source need `can_edit` on its unit (403). A token is shown once, on the page
that answers the create or the rotation, and never stored in clear.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from citysoc.alerts import intake, source_forms
from citysoc.alerts.api import forget_cached_tokens
from citysoc.alerts.models import Alert, AlertSource
from citysoc.core.listing import build_table
from citysoc.core.models import Unit
from citysoc.core.tenancy import can_edit

RECENT_ALERTS = 20
TOKEN_PLACEHOLDER = "<TOKEN>"  # noqa: S105 - marks where the token goes


# --- heartbeat state ---------------------------------------------------------------------

HEARTBEAT_LABELS = {
    "off": gettext_lazy("not watched"),
    "waiting": gettext_lazy("nothing received yet"),
    "ok": gettext_lazy("on time"),
    "late": gettext_lazy("late"),
}


def heartbeat(source: AlertSource, now: dt.datetime) -> str:
    """ "off" (no expected interval), "waiting", "ok" or "late" (interval passed in silence)."""
    if source.expected_every is None:
        return "off"
    heard = source.last_event_at or source.created_at
    if now - heard > source.expected_every:
        return "late"
    return "ok" if source.last_event_at else "waiting"


# --- set-up help per tool ----------------------------------------------------------------


@dataclass(frozen=True)
class Snippet:
    title: str
    intro: str
    code: str


def setup_snippets(kind: str, token: str = TOKEN_PLACEHOLDER) -> list[Snippet]:
    """What to paste where, for a source of this kind (the token filled in when known)."""
    if kind not in intake.HTTP_KINDS:
        return [
            Snippet(
                _("Syslog"),
                _(
                    "Point each device's syslog at this hub's syslog listener. Messages from the "
                    "sender addresses of this source are filed under its unit."
                ),
                "",
            )
        ]
    url = intake.intake_url(kind)
    return [_curl(kind, url, token), *_TOOL_SNIPPETS.get(kind, lambda u, t: [])(url, token)]


# (what feeds curl, what curl sends): a small real sample of each tool's output.
CURL_SAMPLES = {
    "generic": (
        "",
        '\'{"severity": "high", "summary": "Disk 95% full on web01", '
        '"dedup_key": "web01-disk", "host": "web01"}\'',
    ),
    "wazuh": ("tail -n 5 /var/ossec/logs/alerts/alerts.json | ", "@-"),
    "suricata": ('grep \'"event_type":"alert"\' /var/log/suricata/eve.json | tail -n 20 | ', "@-"),
    "zeek": ("", "@/opt/zeek/logs/current/notice.log"),
    "alertmanager": ("", "@alertmanager-webhook.json"),
}


def _curl(kind: str, url: str, token: str) -> Snippet:
    body_type = "application/json" if kind in ("generic", "alertmanager") else "text/plain"
    feed, data = CURL_SAMPLES[kind]
    code = (
        f"{feed}curl -sS -X POST {url} \\\n"
        f'  -H "Authorization: Bearer {token}" \\\n'
        f'  -H "Content-Type: {body_type}" \\\n'
        f"  --data-binary {data}"
    )
    return Snippet(
        _("Test with curl"),
        _(
            "The hub answers 202 with what it did: alerts created or repeated, and each "
            "rejected record with its position and the reason. Bodies up to 10 MB; gzip is "
            "read as is."
        ),
        code,
    )


def _wazuh(url: str, token: str) -> list[Snippet]:
    block = (
        "<integration>\n"
        "  <name>custom-citysoc</name>\n"
        f"  <hook_url>{url}</hook_url>\n"
        f"  <api_key>{token}</api_key>\n"
        "  <level>7</level>\n"
        "  <alert_format>json</alert_format>\n"
        "</integration>"
    )
    script = (
        "#!/var/ossec/framework/python/bin/python3\n"
        "# Wazuh calls: custom-citysoc <alert file> <api_key> <hook_url>\n"
        "import sys\nimport urllib.request\n\n"
        "alert_file, api_key, hook_url = sys.argv[1], sys.argv[2], sys.argv[3]\n"
        'with open(alert_file, "rb") as fh:\n'
        "    body = fh.read()\n"
        "request = urllib.request.Request(\n"
        '    hook_url, data=body, method="POST",\n'
        '    headers={"Authorization": "Bearer " + api_key, "Content-Type": "application/json"},\n'
        ")\n"
        "urllib.request.urlopen(request, timeout=10).read()\n"
    )
    return [
        Snippet(
            _("Wazuh manager: /var/ossec/etc/ossec.conf"),
            _(
                "Add this block inside <ossec_config>; alerts of level 7 and above are sent. "
                "Then restart the manager (systemctl restart wazuh-manager)."
            ),
            block,
        ),
        Snippet(
            _("Wazuh manager: /var/ossec/integrations/custom-citysoc"),
            _(
                "The integration script Wazuh runs for each alert. Make it owned by root:wazuh "
                "with mode 750 (chmod 750; chown root:wazuh)."
            ),
            script,
        ),
    ]


def _alertmanager(url: str, token: str) -> list[Snippet]:
    yaml = (
        "route:\n"
        "  receiver: citysoc\n"
        "receivers:\n"
        "  - name: citysoc\n"
        "    webhook_configs:\n"
        f"      - url: {url}\n"
        "        send_resolved: true\n"
        "        http_config:\n"
        "          authorization:\n"
        "            type: Bearer\n"
        f"            credentials: {token}\n"
    )
    return [
        Snippet(
            _("Alertmanager: alertmanager.yml"),
            _(
                "Add the receiver (or route a sub-tree of alerts to it). Resolved alerts close "
                "the matching alert here; the fingerprint is the dedup key."
            ),
            yaml,
        )
    ]


def _fluent_bit(url: str, token: str, path: str, tag: str, grep: str) -> str:
    parts = urlsplit(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    lines = [
        "[INPUT]",
        "    Name   tail",
        f"    Path   {path}",
        "    Parser json",
        f"    Tag    {tag}",
        "",
    ]
    if grep:
        lines += ["[FILTER]", "    Name  grep", f"    Match {tag}", f"    Regex {grep}", ""]
    lines += [
        "[OUTPUT]",
        "    Name   http",
        f"    Match  {tag}",
        f"    Host   {parts.hostname}",
        f"    Port   {port}",
        f"    URI    {parts.path}",
        "    Format json_lines",
        "    json_date_key false",
        f"    Header Authorization Bearer {token}",
    ]
    if parts.scheme == "https":
        lines.append("    tls    On")
    return "\n".join(lines)


def _suricata(url: str, token: str) -> list[Snippet]:
    return [
        Snippet(
            _("Suricata sensor: Fluent Bit (fluent-bit.conf)"),
            _(
                "Follows eve.json and posts each new alert line (flow, dns and stats events are "
                "left on the sensor). Any shipper that POSTs EVE lines works the same way."
            ),
            _fluent_bit(url, token, "/var/log/suricata/eve.json", "suricata", "event_type ^alert$"),
        )
    ]


def _zeek(url: str, token: str) -> list[Snippet]:
    cron = (
        "# /etc/cron.d/citysoc-zeek: after zeekctl rotates the logs each hour, send the\n"
        "# notice files of the last hour once (gzip is read as is).\n"
        "5 * * * * zeek find /opt/zeek/logs -name 'notice.*.log.gz' -mmin -60 -exec \\\n"
        f'  curl -sS -X POST -H "Authorization: Bearer {token}" --data-binary @{{}} {url} \\;'
    )
    return [
        Snippet(
            _("Zeek sensor: rotated notice.log (TSV), hourly"),
            _(
                "Send each rotated notice log once; sending the same file twice counts its "
                "notices twice."
            ),
            cron,
        ),
        Snippet(
            _("Zeek sensor with JSON logs: Fluent Bit (fluent-bit.conf)"),
            _("With policy/tuning/json-logs loaded, follow notice.log as it is written."),
            _fluent_bit(url, token, "/opt/zeek/logs/current/notice.log", "zeek", ""),
        ),
    ]


_TOOL_SNIPPETS = {
    "wazuh": _wazuh,
    "alertmanager": _alertmanager,
    "suricata": _suricata,
    "zeek": _zeek,
}


# --- pages -------------------------------------------------------------------------------


def _visible(user):
    return AlertSource.objects.visible_to(user).select_related("unit", "escalation_policy")


def _require_editor(user, unit: Unit) -> None:
    if not can_edit(user, unit):
        raise PermissionDenied(
            _("Only the editors of %(unit)s change its alert sources.") % {"unit": unit.name}
        )


@login_required
def source_list(request):
    sources = _visible(request.user).annotate(
        open_alerts=Count("alerts", filter=~Q(alerts__status=Alert.Status.RESOLVED))
    )
    unit_code = request.GET.get("unit", "").strip()
    if unit_code:
        sources = sources.filter(unit__code=unit_code)
    query = request.GET.get("q", "").strip()
    if query:
        sources = sources.filter(Q(name__icontains=query) | Q(kind__icontains=query))
    table = build_table(
        request.GET,
        sources,
        sort_fields={
            "unit": ("unit__path", "name"),
            "name": ("name",),
            "kind": ("kind", "name"),
            "last": ("last_event_at",),
            "open": ("open_alerts",),
        },
        default_order=("unit__path", "name"),
    )
    now = timezone.now()
    rows = [(s, heartbeat(s, now)) for s in table.rows]
    context = {
        "table": table,
        "rows": rows,
        "labels": HEARTBEAT_LABELS,
        "may_create": Unit.objects.editable_by(request.user).exists(),
        "query": query,
        "unit_code": unit_code,
    }
    return render(request, "alerts/source_list.html", context)


@login_required
def source_create(request):
    units = Unit.objects.editable_by(request.user)
    if not units.exists():
        raise PermissionDenied(_("Your role can only read; it cannot add alert sources."))
    form = source_forms.SourceCreateForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        source = form.save(commit=False)
        token = source.new_token()
        source.save()
        return _show_token(request, source, token, made=True)
    return render(request, "alerts/source_form.html", {"form": form, "object": None})


def _show_token(request, source: AlertSource, token: str, *, made: bool):
    context = {
        "source": source,
        "token": token,
        "made": made,
        "url": intake.intake_url(source.kind) if source.kind in intake.HTTP_KINDS else "",
        "snippets": setup_snippets(source.kind, token),
    }
    response = render(request, "alerts/source_created.html", context)
    # The page carries a secret: no browser or proxy cache may keep it.
    response["Cache-Control"] = "no-store"
    return response


@login_required
def source_detail(request, pk: int):
    source = get_object_or_404(_visible(request.user), pk=pk)
    alerts = Alert.objects.filter(source=source).select_related("unit")[:RECENT_ALERTS]
    context = {
        "source": source,
        "state": heartbeat(source, timezone.now()),
        "expected_minutes": int(source.expected_every.total_seconds() // 60)
        if source.expected_every
        else None,
        "labels": HEARTBEAT_LABELS,
        "open_alerts": source.alerts.exclude(status=Alert.Status.RESOLVED).count(),
        "alerts": alerts,
        "may_edit": can_edit(request.user, source.unit),
        "url": intake.intake_url(source.kind) if source.kind in intake.HTTP_KINDS else "",
        "snippets": setup_snippets(source.kind),
    }
    return render(request, "alerts/source_detail.html", context)


@login_required
def source_edit(request, pk: int):
    source = get_object_or_404(_visible(request.user), pk=pk)
    _require_editor(request.user, source.unit)
    form = source_forms.SourceForm(request.POST or None, instance=source, unit=source.unit)
    if request.method == "POST" and form.is_valid():
        form.save()
        forget_cached_tokens()
        messages.success(request, _("Saved %(object)s.") % {"object": source.name})
        return redirect("alerts:source-detail", pk=source.pk)
    return render(request, "alerts/source_form.html", {"form": form, "object": source})


@login_required
def source_rotate(request, pk: int):
    source = get_object_or_404(_visible(request.user), pk=pk)
    _require_editor(request.user, source.unit)
    if request.method != "POST":
        return render(request, "alerts/source_rotate.html", {"source": source})
    token = source.new_token()
    source.save(update_fields=["token_prefix", "token_hash"])
    forget_cached_tokens()
    return _show_token(request, source, token, made=False)
