"""What Värna itself knows does not yet meet WCAG 2.1 AA, in every municipality's accessibility statement.

Keep this list true: remove a line when the shortcoming is fixed, add one when a test or a user finds one.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

STANDARD = "WCAG 2.1 AA (EN 301 549)"

KNOWN_SHORTCOMINGS: tuple[Promise, ...] = (
    _("Some tables for staff are wider than a phone screen and have to be scrolled sideways."),
    _("Charts in the situation picture use small text that is hard to read on a phone; the same figures are in "
      "the tables on the page."),
    _("Some forms for staff use the browser's own fields, which are small to tap on a phone."),
)
