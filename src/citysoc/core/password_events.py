"""A new password ends the API tokens of its account.

Someone who learned a password may have made a token with it; the owner's remedy is to
change (or reset) the password, which must therefore cut the tokens off too. Every path
that sets a password (the change and reset pages, the admin, `citysoc changepassword`)
goes through `set_password`, which leaves the new raw password on the instance until the
save completes; a login that only re-hashes the stored password clears it first, so a
hasher upgrade does not revoke anything.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils import timezone

logger = logging.getLogger(__name__)


def revoke_tokens(user) -> int:
    """Revoke every active token of `user`; return how many."""
    from citysoc.core.models import ApiToken

    count = ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    if count:
        logger.info("password of %s changed: %d API token(s) revoked", user.get_username(), count)
    return count


@receiver(post_save, sender=settings.AUTH_USER_MODEL)
def _password_set(sender, instance, created: bool, raw: bool = False, **kwargs) -> None:
    if created or raw or getattr(instance, "_password", None) is None:
        return
    revoke_tokens(instance)
