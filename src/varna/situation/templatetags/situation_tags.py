from typing import Any

from django import template

from varna.situation.permissions import can_change_observation

register = template.Library()


@register.filter
def changeable_by(observation: Any, user: Any) -> bool:
    return can_change_observation(user, observation)


@register.simple_tag
def cycle_label(table: Any, index: int) -> str:
    """The column heading for a cell, used as its label when the table stacks on a narrow screen."""
    return table.columns[index][1]
