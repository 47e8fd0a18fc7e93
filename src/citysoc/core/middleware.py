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
