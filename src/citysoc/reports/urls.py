from django.urls import path

from citysoc.reports import views

app_name = "reports"

urlpatterns = [
    path("", views.scoreboard, name="home"),
    path("download/", views.report_download, name="report-download"),
]
