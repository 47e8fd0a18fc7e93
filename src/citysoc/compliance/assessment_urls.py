"""Pages of the unit's assessments.

Each `<int:pk>` names the object of the path segment before it: `systems` an information
system, `assessments` an assessment, `assessment-items` an item, `assessment-evidence` an
evidence file, `libraries` a framework library (the tenancy sweep places objects by these
segments).
"""

from django.urls import path

from citysoc.compliance import library_views, views

urlpatterns = [
    path("", views.home, name="home"),
    path("gaps/", views.gap_list, name="gap-list"),
    path("systems/<int:pk>/", views.system_history, name="system-history"),
    path("systems/<int:pk>/start/", views.assessment_start, name="assessment-start"),
    path("systems/<int:pk>/diff/", views.system_diff, name="system-diff"),
    path("assessments/<int:pk>/", views.assessment_detail, name="assessment-detail"),
    path("assessments/<int:pk>/gaps/", views.assessment_gaps, name="assessment-gaps"),
    path("assessments/<int:pk>/complete/", views.assessment_complete, name="assessment-complete"),
    path("assessment-items/<int:pk>/", views.item_detail, name="item-detail"),
    path("assessment-evidence/<int:pk>/", views.evidence_download, name="evidence-download"),
    path("libraries/<int:pk>/", library_views.library_detail, name="library-detail"),
]
