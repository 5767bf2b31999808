from __future__ import annotations

from typing import TYPE_CHECKING

from django import template

from varna.plans import selectors
from varna.plans.forms import cadence_label

if TYPE_CHECKING:
    from varna.plans.models import Activity, Recommendation

register = template.Library()


@register.filter
def cadence(activity: Activity) -> str:
    return cadence_label(activity.cadence_kind, activity.cadence_count)


@register.filter
def for_readers(recommendation: Recommendation) -> str:
    """How the plan meets a recommendation, with the activities named instead of their keys."""
    return selectors.how_met_for_readers(recommendation)
