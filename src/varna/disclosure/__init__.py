"""Disclosure control: the one place for the rules every figure passes before it leaves Värna.

* :mod:`varna.disclosure.suppression`: the two profiles (``INTERNAL`` and ``PUBLISHED``), primary and
  secondary suppression of one table with an exact audit.
* :mod:`varna.disclosure.catalogue`: which tables may be published and how the tables of one term are
  protected together, so that combining or subtracting published tables recovers no hidden count.

Pure Python, no Django. ADR 0016 says why.
"""
