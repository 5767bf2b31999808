from django import template

from varna.plans.forms import cadence_label

register = template.Library()


@register.filter
def cadence(activity: object) -> str:
    return cadence_label(activity.cadence_kind, activity.cadence_count)
