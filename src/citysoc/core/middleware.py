"""The hub's own middleware: audit actor, language, idle sessions, content security policy."""

import time

from django.conf import settings
from django.contrib.auth import SESSION_KEY

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


# When the session was last written (seconds since the epoch), kept in the session itself.
SESSION_WRITTEN_KEY = "_citysoc_written"


class IdleSessionMiddleware:
    """Keep a signed-in session alive while it is used, writing it at most once a minute.

    A session ends SESSION_COOKIE_AGE after its last use (SESSION_IDLE_MINUTES). Django's
    way, SESSION_SAVE_EVERY_REQUEST, writes the session on every request: every page view
    and API call becomes a database write (on SQLite, the write lock the task workers wait
    for). Here the expiry moves on only when the last write is SESSION_REFRESH_SECONDS old
    or more, so a session ends between AGE - REFRESH and AGE after its last use.

    Listed after SessionMiddleware, so that its response phase runs before the session is
    saved.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.refresh = settings.SESSION_REFRESH_SECONDS

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        # is_empty() reads nothing for a request without a session cookie; a session with
        # nobody signed in (a stale cookie) is left as it is, not written.
        if session is None or session.modified or session.is_empty() or SESSION_KEY not in session:
            return response
        now = int(time.time())
        if now - session.get(SESSION_WRITTEN_KEY, 0) >= self.refresh:
            session[SESSION_WRITTEN_KEY] = now  # marks it modified: saved with a new expiry
        return response


class ContentSecurityPolicyMiddleware:
    """Send the Content-Security-Policy header (settings.CITYSOC_CSP) on every response.

    With scripts only from our own static files, a payload that slipped past
    escaping (an inline <script>, an onerror= attribute, a javascript: link)
    is not run by the browser. A view that needs another policy sets its own.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = settings.CITYSOC_CSP

    def __call__(self, request):
        response = self.get_response(request)
        if self.policy and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = self.policy
        return response
