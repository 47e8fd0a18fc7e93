"""Top-level URLs: each app's urls.py, the API, auth and language switching."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

urlpatterns = [
    path("", include("citysoc.core.urls")),
    path("inventory/", include("citysoc.inventory.urls")),
    path("directives/", include("citysoc.directives.urls")),
    path("compliance/", include("citysoc.compliance.urls")),
    path("intel/", include("citysoc.intel.urls")),
    path("duty/", include("citysoc.duty.urls")),
    path("alerts/", include("citysoc.alerts.urls")),
    path("webwatch/", include("citysoc.webwatch.urls")),
    path("vulns/", include("citysoc.vulns.urls")),
    path("reports/", include("citysoc.reports.urls")),
    path("isps/", include("citysoc.isps.urls")),
    path("awareness/", include("citysoc.awareness.urls")),
    path("sweep/", include("citysoc.sweep.urls")),
    path("incidents/", include("citysoc.incidents.urls")),
    path("notify/", include("citysoc.notify.urls")),
    path("api/", include("citysoc.api_urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password/change/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "accounts/password/change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("accounts/password/reset/", auth_views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "accounts/password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "accounts/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("django-admin/", admin.site.urls),
]
