from django.urls import path

from citysoc.inventory import import_views

urlpatterns = [
    path("", import_views.start, name="import-start"),
]
