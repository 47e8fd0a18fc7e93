from django.views.generic import TemplateView

ROUTES: list = []


class ApiDocsView(TemplateView):
    template_name = "core/api_docs.html"
