"""`Authorization: Bearer <token>` for the REST API."""

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from citysoc.core import audit
from citysoc.core.models import ApiToken


class BearerTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode("latin-1")
        if not header:
            return None
        scheme, _sep, raw = header.partition(" ")
        if scheme.lower() != self.keyword.lower():
            return None
        raw = raw.strip()
        if not raw:
            raise exceptions.AuthenticationFailed(_("The Bearer header carries no token."))
        token = ApiToken.find(raw)
        if token is None or not token.user.is_active:
            raise exceptions.AuthenticationFailed(
                _("Unknown or revoked token. Create one with `citysoc token create --user NAME`.")
            )
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
        audit.set_actor(
            token.user, via="api", label=f"{token.user.get_username()} (token {token.prefix})"
        )
        return token.user, token

    def authenticate_header(self, request):
        return self.keyword


class BearerTokenScheme(OpenApiAuthenticationExtension):
    """Tells the OpenAPI schema how `BearerTokenAuthentication` is used."""

    target_class = "citysoc.core.tokens.BearerTokenAuthentication"
    name = "bearerToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "Create a token with `citysoc token create --user NAME`.",
        }
