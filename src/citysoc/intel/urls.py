from django.urls import path

from citysoc.intel import views

app_name = "intel"

urlpatterns = [
    path("", views.home, name="home"),
    path("sources/new/", views.source_edit, name="source-create"),
    path("sources/<int:pk>/edit/", views.source_edit, name="source-edit"),
    path("feeds/pull/", views.feeds_pull, name="feeds-pull"),
    path("versions/<int:pk>/", views.version_detail, name="version-detail"),
    path("versions/<int:pk>/status/", views.version_status, name="version-status"),
    path("versions/<int:pk>/mapping/", views.version_mapping, name="version-mapping"),
    path("versions/<int:pk>/sensors/", views.version_sensors, name="version-sensors"),
    path("tasks/", views.task_list, name="task-list"),
    path("tasks/export/", views.tasks_xlsx, name="task-export"),
    path("tasks/<int:pk>/", views.task_detail, name="task-detail"),
    path("cleanup-evidence/<int:pk>/", views.evidence_download, name="evidence-download"),
    path("report/", views.report_docx, name="report-docx"),
    path("sightings/", views.sighting_list, name="sighting-list"),
    path("logs/", views.log_list, name="log-list"),
    path("logs/upload/", views.log_upload, name="log-upload"),
    path("logs/<int:pk>/", views.log_detail, name="log-detail"),
    path("logs/<int:pk>/status/", views.log_status, name="log-status"),
    path("log-folders/<int:pk>/delete/", views.folder_delete, name="folder-delete"),
    path("city/", views.city, name="city"),
]
