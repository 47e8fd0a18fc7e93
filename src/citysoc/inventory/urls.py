from django.urls import include, path

app_name = "inventory"

urlpatterns = [
    path("import/", include("citysoc.inventory.import_urls")),
]
