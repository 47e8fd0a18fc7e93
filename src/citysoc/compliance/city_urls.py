"""Pages of the city's compliance view, and the level helper of one system.

`systems/<int:pk>/level/`: the pk is an information system's (the tenancy sweep places
objects by the path segment before them).
"""

from django.urls import path

from citysoc.compliance import city_views, level_views

urlpatterns = [
    path("", city_views.city, name="city"),
    path("export.xlsx", city_views.city_export, name="city-export"),
    path("gap-report.docx", city_views.gap_report, name="city-gap-report"),
    path("systems/<int:pk>/level/", level_views.level_helper, name="level-helper"),
]
