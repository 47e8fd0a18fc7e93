"""WSGI entry point for gunicorn (`citysoc web`)."""

import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

from citysoc.startup import objects_for_life

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "citysoc.settings")
with objects_for_life():  # frozen before gunicorn forks its workers (startup.py)
    application = get_wsgi_application()
    # Every view module, imported now: gunicorn loads this module once, in its master
    # (`--preload`), and the workers forked from it answer their first request without
    # importing them again each.
    get_resolver().url_patterns  # noqa: B018 - imported for the side effect
