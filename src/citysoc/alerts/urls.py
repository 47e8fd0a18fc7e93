"""Alert pages: the duty officer's list and timeline (alert_urls), sources (source_urls)."""

from citysoc.alerts import alert_urls, source_urls

app_name = "alerts"

urlpatterns = [*alert_urls.urlpatterns, *source_urls.urlpatterns]
