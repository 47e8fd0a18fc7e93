"""The duty officer's pages: alerts, signed links, maintenance, policies, incident notes."""

from django.urls import path
from django.views.generic import RedirectView

from citysoc.alerts import views

urlpatterns = [
    path("", views.home, name="home"),
    path("rows/", views.alert_rows, name="alert-rows"),
    path("<int:pk>/", views.alert_detail, name="alert-detail"),
    path("<int:pk>/acknowledge/", views.alert_ack, name="alert-ack"),
    path("<int:pk>/resolve/", views.alert_resolve, name="alert-resolve"),
    path("<int:pk>/note/", views.alert_note, name="alert-note"),
    path("promote/", views.alert_promote, name="alert-promote"),
    path("link/<str:token>/", views.link, name="link"),
    path("maintenance/", views.maintenance_list, name="maintenance-list"),
    path("maintenance/new/", views.maintenance_create, name="maintenance-create"),
    path("maintenance/<int:pk>/end/", views.maintenance_end, name="maintenance-end"),
    path("policies/", views.policy_list, name="policy-list"),
    path("policies/new/", views.policy_edit, name="policy-create"),
    path("policies/<int:pk>/", views.policy_edit, name="policy-edit"),
    # Incidents moved to their own area (/incidents/); old bookmarks and links land there.
    path(
        "incidents/",
        RedirectView.as_view(pattern_name="incidents:home", query_string=True, permanent=True),
        name="incident-list",
    ),
    path(
        "incidents/<int:pk>/",
        RedirectView.as_view(pattern_name="incidents:detail", permanent=True),
        name="incident-detail",
    ),
    path("incidents/<int:pk>/note/", views.incident_note, name="incident-note"),
]
