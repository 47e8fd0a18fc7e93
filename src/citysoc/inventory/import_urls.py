"""Import and export URLs, included under /inventory/import/."""

from django.urls import path

from citysoc.inventory import import_views

urlpatterns = [
    path("", import_views.start, name="import-start"),
    path("<int:pk>/", import_views.job_page, name="import-job"),
    path("<int:pk>/status/", import_views.status, name="import-status"),
    path("<int:pk>/confirm/", import_views.confirm, name="import-confirm"),
    path("<int:pk>/rejected/", import_views.rejected, name="import-rejected"),
    path("<int:pk>/errors/", import_views.errors, name="import-errors"),
    path("template/<slug:kind>/", import_views.template, name="import-template"),
    path("export/", import_views.export, name="export"),
]
