"""Refuse an unsafe production start with a sentence saying what to set."""

from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.security, deploy=True)
def production_settings(app_configs, **kwargs) -> list[checks.CheckMessage]:
    return unsafe_settings_errors() + production_warnings()


def production_warnings() -> list[checks.CheckMessage]:
    """Settings a laptop start does without but a production deployment should set."""
    warnings: list[checks.CheckMessage] = []
    if settings.EMAIL_BACKEND.endswith("filebased.EmailBackend"):
        warnings.append(
            checks.Warning(
                "EMAIL_HOST is not set: e-mail is kept as files in the data folder, not sent.",
                hint="Set EMAIL_HOST (and EMAIL_PORT, EMAIL_HOST_USER...) to the mail server.",
                id="citysoc.W001",
            )
        )
    if settings.TLS and settings.SITE_URL_DERIVED:
        warnings.append(
            checks.Warning(
                "CITYSOC_TLS is on but SITE_URL is not set: links in e-mails would name the "
                "port citysoc serves behind the proxy, not the address people open.",
                hint="Set SITE_URL, e.g. SITE_URL=https://soc.example.gov.vn",
                id="citysoc.W002",
            )
        )
    return warnings


def unsafe_settings_errors() -> list[checks.CheckMessage]:
    """The list of unsafe settings for a production start (DEBUG off)."""
    from citysoc.settings import DEV_SECRET_KEY

    errors: list[checks.CheckMessage] = []
    if settings.DEBUG:
        errors.append(
            checks.Error(
                "DEBUG is on, which shows internal details to anyone on error pages.",
                hint="Unset CITYSOC_DEBUG (or set it to 0) for a production start.",
                id="citysoc.E001",
            )
        )
    if settings.SECRET_KEY == DEV_SECRET_KEY or len(settings.SECRET_KEY) < 32:
        errors.append(
            checks.Error(
                "SECRET_KEY is the development default or shorter than 32 characters.",
                hint=(
                    "Unset SECRET_KEY to let citysoc keep a random key in its data folder, or "
                    "set SECRET_KEY (or SECRET_KEY_FILE) to a long random value, e.g. the "
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
