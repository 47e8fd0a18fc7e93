from django.urls import path

from citysoc.vulns import views

app_name = "vulns"

urlpatterns = [
    path("", views.home, name="home"),
    path("scans/upload/", views.scan_upload, name="scan-upload"),
]

# Priority, work and figures (finding_views, board_views).
from citysoc.vulns import board_views, finding_views  # noqa: E402

urlpatterns += [
    path("findings/<int:pk>/", finding_views.finding_detail, name="finding-detail"),
    path(
        "finding-evidence/<int:pk>/",
        finding_views.evidence_download,
        name="finding-evidence-download",
    ),
    path("units/<int:pk>/", board_views.unit_detail, name="unit-detail"),
    path("units/<int:pk>/export.xlsx", board_views.unit_export, name="unit-export"),
    path("units/<int:pk>/report.docx", board_views.unit_report, name="unit-report"),
    path("systems/<int:pk>/", board_views.system_detail, name="system-detail"),
    path("board/", board_views.board, name="board"),
    path("feeds/", board_views.feeds_page, name="feeds"),
]
