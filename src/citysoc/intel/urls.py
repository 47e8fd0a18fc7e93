from django.urls import path

from citysoc.intel.views import city, cleanup_tasks, lists, logs

app_name = "intel"

urlpatterns = [
    path("", lists.home, name="home"),
    path("sources/new/", lists.source_edit, name="source-create"),
    path("sources/<int:pk>/edit/", lists.source_edit, name="source-edit"),
    path("feeds/pull/", lists.feeds_pull, name="feeds-pull"),
    path("versions/<int:pk>/", lists.version_detail, name="version-detail"),
    path("versions/<int:pk>/status/", lists.version_status, name="version-status"),
    path("versions/<int:pk>/mapping/", lists.version_mapping, name="version-mapping"),
    path("versions/<int:pk>/sensors/", lists.version_sensors, name="version-sensors"),
    path("tasks/", cleanup_tasks.task_list, name="task-list"),
    path("tasks/export/", cleanup_tasks.tasks_xlsx, name="task-export"),
    path("tasks/<int:pk>/", cleanup_tasks.task_detail, name="task-detail"),
    path("cleanup-evidence/<int:pk>/", cleanup_tasks.evidence_download, name="evidence-download"),
    path("report/", cleanup_tasks.report_docx, name="report-docx"),
    path("sightings/", city.sighting_list, name="sighting-list"),
    path("logs/", logs.log_list, name="log-list"),
    path("logs/upload/", logs.log_upload, name="log-upload"),
    path("logs/<int:pk>/", logs.log_detail, name="log-detail"),
    path("logs/<int:pk>/status/", logs.log_status, name="log-status"),
    path("log-folders/<int:pk>/delete/", logs.folder_delete, name="folder-delete"),
    path("city/", city.city, name="city"),
]
