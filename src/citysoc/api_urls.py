"""The REST API: one router over every app's viewsets, the schema and its docs page."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from citysoc.alerts import api as alerts_api
from citysoc.awareness import api as awareness_api
from citysoc.compliance import api as compliance_api
from citysoc.core import api as core_api
from citysoc.core import work_api
from citysoc.directives import api as directives_api
from citysoc.duty import api as duty_api
from citysoc.incidents import api as incidents_api
from citysoc.intel import api as intel_api
from citysoc.inventory import api as inventory_api
from citysoc.isps import api as isps_api
from citysoc.notify import api as notify_api
from citysoc.reports import api as reports_api
from citysoc.sweep import agentapi as sweep_agentapi
from citysoc.sweep import api as sweep_api
from citysoc.vulns import api as vulns_api
from citysoc.webwatch import api as webwatch_api

router = DefaultRouter()
for prefix, viewset, basename in (
    *core_api.ROUTES,
    *inventory_api.ROUTES,
    *directives_api.ROUTES,
    *intel_api.ROUTES,
    *compliance_api.ROUTES,
    *notify_api.ROUTES,
    *duty_api.ROUTES,
    *alerts_api.ROUTES,
    *webwatch_api.ROUTES,
    *vulns_api.ROUTES,
    *work_api.ROUTES,
    *reports_api.ROUTES,
    *isps_api.ROUTES,
    *awareness_api.ROUTES,
    *sweep_api.ROUTES,
    *incidents_api.ROUTES,
):
    router.register(prefix, viewset, basename=basename)

urlpatterns = [
    path("openapi.json", core_api.SchemaView.as_view(), name="api-schema"),
    path("docs", core_api.ApiDocsView.as_view(), name="api-docs"),
    path("alerts/intake/<str:source>/", alerts_api.intake_view, name="alerts-intake"),
    path("scam-check/", awareness_api.scam_check_view, name="scam-check"),
    path("agent/enrol/", sweep_agentapi.enrol, name="sweep-agent-enrol"),
    path("agent/jobs/", sweep_agentapi.agent_jobs, name="sweep-agent-jobs"),
    path("agent/heartbeat/", sweep_agentapi.heartbeat, name="sweep-agent-heartbeat"),
    path("agent/results/", sweep_agentapi.results, name="sweep-agent-results"),
    path("", include(router.urls)),
]
