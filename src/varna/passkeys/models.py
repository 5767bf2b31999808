"""Passkeys (WebAuthn credentials) as a second factor: a django-otp device, so a session verified with one is
verified like one verified with a code (ADR 0003)."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device


class Passkey(Device):
    credential_id = models.CharField(max_length=1400, unique=True)  # base64url, as the browser sends it
    public_key = models.BinaryField()  # COSE, as verified at registration
    sign_count = models.PositiveBigIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta(Device.Meta):
        verbose_name = _("passkey")
        verbose_name_plural = _("passkeys")

    def verify_token(self, token: str) -> bool:
        return False  # a passkey answers a challenge (varna.passkeys.services), never a typed code
