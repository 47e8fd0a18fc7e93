"""Compliance pages: the unit's assessments (assessment_urls) and the city's view (city_urls)."""

from django.urls import include, path

app_name = "compliance"

urlpatterns = [
    path("", include("citysoc.compliance.assessment_urls")),
    path("city/", include("citysoc.compliance.city_urls")),
]
