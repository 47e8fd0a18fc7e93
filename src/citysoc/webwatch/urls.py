from django.urls import path

from citysoc.webwatch import views

app_name = "webwatch"

urlpatterns = [
    path("", views.home, name="home"),
    path("monitors/new/", views.monitor_create, name="monitor-create"),
    path("monitors/watch-domains/", views.watch_domains, name="watch-domains"),
    path("monitors/<int:pk>/", views.monitor_detail, name="monitor-detail"),
    path("monitors/<int:pk>/edit/", views.monitor_edit, name="monitor-edit"),
    path("monitors/<int:pk>/check/", views.monitor_check, name="monitor-check"),
    path("monitors/<int:pk>/baseline/", views.monitor_baseline, name="monitor-baseline"),
    path("monitor-findings/<int:pk>/", views.finding_detail, name="finding-detail"),
    path("city/", views.city, name="city"),
    path("status/<slug:code>/", views.status_page, name="status-page"),
]
