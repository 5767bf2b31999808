"""Confirm before destroying: every action that deletes, cancels or revokes asks first, naming the object.

A destructive view calls ``confirmation(...)`` once it has found the object and checked the person may act.
GET (a link such as "Ta bort utkastet") and a POST without ``confirm=yes`` both return the confirmation page,
which works without JavaScript; only its own button, a POST with ``confirm=yes``, lets the view act.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

CONFIRMED = "yes"


def confirmation(request: HttpRequest, *, title: Any, what: Any, button: Any, cancel_url: str,
                 consequence: Any = "", error: Any = "") -> HttpResponse | None:
    """None when the person has confirmed; otherwise the page that asks them to.

    ``title`` asks the question ("Ta bort utkastet?"), ``what`` names the object as the person knows it,
    ``consequence`` says what follows (what cannot be undone), ``button`` repeats the action on the button.
    ``error`` asks again after the action was refused (the service's reason), so the page always answers.
    """
    if not error and request.method == "POST" and request.POST.get("confirm") == CONFIRMED:
        return None
    return render(request, "confirm.html", {
        "title": title, "what": what, "consequence": consequence, "button": button, "cancel_url": cancel_url,
        "action_url": request.path, "confirmed": CONFIRMED, "error": error,
    })
