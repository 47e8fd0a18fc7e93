"""Attribute changes made during a web request to the logged-in user."""

from citysoc.core.audit import acting_as


class AuditActorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # The user is read when an entry is written, so API token auth (which runs
        # later, inside the view) can still replace the actor with the token's owner.
        with acting_as(None, via="web", request=request):
            return self.get_response(request)


class VietnameseFirstMiddleware:
    """Speak Vietnamese unless the user chose English with the language switch.

    Browsers in Vietnamese offices are often set up in English; following their
    Accept-Language header would show English to people who never asked for it.
    The choice made with the switch is kept in the language cookie, which still wins.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)


class ContentSecurityPolicyMiddleware:
    """Send the Content-Security-Policy header (settings.CITYSOC_CSP) on every response.

    With scripts only from our own static files, a payload that slipped past
    escaping (an inline <script>, an onerror= attribute, a javascript: link)
    is not run by the browser. A view that needs another policy sets its own.
    """

    def __init__(self, get_response):
        from django.conf import settings

        self.get_response = get_response
        self.policy = settings.CITYSOC_CSP

    def __call__(self, request):
        response = self.get_response(request)
        if self.policy and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = self.policy
        return response
