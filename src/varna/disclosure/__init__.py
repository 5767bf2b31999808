"""Disclosure control: the one place for the rules every figure and every free text pass before they leave
a person's hands. ADR 0016 says why; nothing else in Värna suppresses counts or looks for personal data.

Public API (stable; other modules, e.g. an analysis app's indicators, call only these):

* :mod:`varna.disclosure.suppression`: the profiles ``INTERNAL`` (1–5 shown as "≤5") and ``PUBLISHED``
  (1–7 hidden, the rest rounded to 5), ``suppress_count``, ``suppress_series`` and ``suppress_table``
  (primary and secondary suppression of one table, with an exact audit), and the result types ``Cell``,
  ``SuppressedSeries``, ``SuppressedTable``.
* :mod:`varna.disclosure.catalogue`: ``publish_term`` (every breakdown of one whole term, protected together
  so that no combination of the term's tables pins a hidden count), ``publish_lists`` (the same for plain
  lists of one whole period, e.g. the cases opened in one year) and ``publish_series``. A published
  figure is always for one whole term: no ranges, no totals over several terms.
* :mod:`varna.disclosure.personal_data`: ``find_personal_data(text) -> list[Finding]``, ``is_clean``,
  ``KINDS``. Pure detection; ``Finding.excerpt`` is personal data and must never be logged.
* :mod:`varna.disclosure.guard`: what a service calls before it saves free text: ``check(text, field=,
  label=, why=None)`` and ``check_fields(values, labels, why=None)`` raise ``PersonalDataError`` (``errors``
  per field, ``kinds``; translated, never the text), ``problems(text, label=)`` returns the messages for a
  form. Logs field and kinds only.

Everything but ``guard`` is pure Python without Django.
"""
