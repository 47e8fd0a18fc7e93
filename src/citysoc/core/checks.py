"""Refuse an unsafe production start with a sentence saying what to set."""

from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.security, deploy=True)
def production_settings(app_configs, **kwargs) -> list[checks.CheckMessage]:
    return unsafe_settings_errors()


def unsafe_settings_errors() -> list[checks.CheckMessage]:
    """The list of unsafe settings for a production start (DEBUG off)."""
    from citysoc.settings import DEV_SECRET_KEY

    errors: list[checks.CheckMessage] = []
    if settings.DEBUG:
        errors.append(
            checks.Error(
                "DEBUG is on, which shows internal details to anyone on error pages.",
                hint="Set DEBUG=0 in the environment for a production start.",
                id="citysoc.E001",
            )
        )
    if settings.SECRET_KEY == DEV_SECRET_KEY or len(settings.SECRET_KEY) < 32:
        errors.append(
            checks.Error(
                "SECRET_KEY is the development default or shorter than 32 characters.",
                hint=(
                    "Set SECRET_KEY (or SECRET_KEY_FILE) to a long random value, e.g. the "
                    "output of: python3 -c 'import secrets; print(secrets.token_urlsafe(50))'"
                ),
                id="citysoc.E002",
            )
        )
    if not settings.ALLOWED_HOSTS:
        errors.append(
            checks.Error(
                "ALLOWED_HOSTS is empty, so every request would be refused.",
                hint=(
                    "Set ALLOWED_HOSTS to the server's names, e.g. ALLOWED_HOSTS=soc.example.gov.vn"
                ),
                id="citysoc.E003",
            )
        )
    return errors
