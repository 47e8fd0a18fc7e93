from django.urls import include, path

from citysoc.inventory import views

app_name = "inventory"


def _crud(prefix: str, kind: str) -> list:
    extra = {"kind": kind}
    return [
        path(f"{prefix}/", views.object_list, extra, name=f"{kind}-list"),
        path(f"{prefix}/new/", views.object_create, extra, name=f"{kind}-create"),
        path(f"{prefix}/<int:pk>/", views.object_detail, extra, name=f"{kind}-detail"),
        path(f"{prefix}/<int:pk>/edit/", views.object_edit, extra, name=f"{kind}-edit"),
        path(f"{prefix}/<int:pk>/delete/", views.object_delete, extra, name=f"{kind}-delete"),
    ]


urlpatterns = [
    *_crud("systems", "system"),
    *_crud("hosts", "host"),
    path("hosts/<int:pk>/decide/", views.claim_decide, {"kind": "host"}, name="host-decide"),
    path("ranges/overlaps/", views.range_overlaps, name="range-overlaps"),
    *_crud("ranges", "range"),
    path("ranges/<int:pk>/decide/", views.claim_decide, {"kind": "range"}, name="range-decide"),
    *_crud("domains", "domain"),
    path("claims/", views.claim_list, name="claims"),
    path("lookup/", views.lookup, name="lookup"),
    path("import/", include("citysoc.inventory.import_urls")),
]
