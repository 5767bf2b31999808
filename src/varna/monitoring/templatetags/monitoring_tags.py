from django import template
from django.utils.safestring import SafeString, mark_safe

from varna.monitoring import feeds

register = template.Library()


@register.filter
def clean_summary(value: str) -> SafeString:
    """A feed item's summary as HTML, cleaned again on the way out (a few inline tags, http(s) links only).

    It was cleaned when fetched; cleaning again keeps the page safe for rows that reached the database
    another way (the admin, a restore of an old backup).
    """
    # nh3 (ammonia) removed every tag, attribute and URL scheme outside the allow-list just now.
    return mark_safe(feeds.clean_summary(value))  # noqa: S308 # nosec B308, B703


@register.filter
def external_link(value: str) -> str:
    """The address if it is an http(s) address, else "" (no javascript: or data: link ever reaches a page)."""
    return feeds.safe_link(value)
