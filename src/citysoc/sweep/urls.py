from django.urls import path

from citysoc.sweep import rule_views, views

app_name = "sweep"

urlpatterns = [
    path("", views.home, name="home"),
    path("sweep-results/<int:pk>/", views.result_detail, name="result-detail"),
    path("sweep-results/upload/", views.result_upload, name="result-upload"),
    path("rules/", rule_views.rule_sets, name="rules"),
    path("tokens/", views.tokens, name="token-list"),
    path("tokens/new/", views.token_create, name="token-create"),
    path("campaigns/new/", views.campaign_create, name="campaign-create"),
    path("sweep-hosts/<int:pk>/bundle/", views.host_bundle, name="host-bundle"),
]
