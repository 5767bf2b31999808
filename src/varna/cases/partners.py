"""A partner from another organisation (police, region psychiatry) invited to exactly one case (ADR 0005).

The coordinator sends core's invitation with ``grants={"case": <pk>}`` (``services.partner_invite``); when it is
accepted, the receiver below adds the person as a participant, after checking again that the case is still open,
belongs to the invitation's municipality and that the inviter is still its coordinator."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from varna.cases.models import Case
from varna.core.services import CoreError, invitation_accepted


@receiver(invitation_accepted, dispatch_uid="cases.partner_invitation_accepted")
def partner_invitation_accepted(sender: Any, invitation: Any, user: Any, **kwargs: Any) -> None:
    from django.utils.translation import gettext as _

    from varna.cases import services

    case_pk = (invitation.grants or {}).get("case")
    if case_pk is None:
        return
    case = Case.objects.filter(municipality=invitation.municipality, pk=case_pk).select_related(
        "municipality").first() if str(case_pk).isdigit() else None
    if case is None or case.is_closed:
        raise CoreError(_("The case is closed."))
    try:
        services.partner_participant_add(inviter=invitation.created_by, case=case, user=user)
    except services.CaseError as exc:
        raise CoreError(str(exc)) from exc
