"""Situation picture at 10 k observations: dashboard latency and import rate, each against a baseline
measured in the same run.

* Dashboard: p50/p95 of the aggregate selector (all five suppressed tables, one grouped query) for one term
  and for all terms, and of the whole dashboard page (tables, SVG charts, map) through the test client.
* Import: observations per second through the real import (CSV parse, form validation, personal-data
  guard, one atomic bulk insert, audit) against a raw ``bulk_create`` of the same rows.

Run with `make bench` (SQLite, the embedded default). The dashboard reads ``ObservationRollup`` (one row
per term × district × milieu × category with the 15 count sums, kept by the services in the same
transaction as each write), so its cost follows the number of rollup rows (here ≤ 10 × 11 × 4 × 9), not
the number of observations: that is what should keep p95 flat from 10 k to 1 M. For PostgreSQL set
``DATABASE_URL`` and ``SITUATION_BENCH_ROWS=1000000``, and compare the import with ``COPY`` of the same CSV
(psql's ``COPY situation_observation (...) FROM STDIN WITH CSV HEADER``) instead of ``bulk_create``.
The 1 M PostgreSQL figures are not measured in this environment (no server); the raw baseline printed
here is ``bulk_create`` on SQLite.
"""

from __future__ import annotations

import csv
import io
import os
import random
import time

from common import create_test_database, rate, setup_django

setup_django()

ROWS = int(os.environ.get("SITUATION_BENCH_ROWS", "10000"))


def _rows(districts: list, n: int) -> list[dict]:
    from varna.situation.choices import COUNT_FIELDS, SIGNS, Category, Milieu

    rng = random.Random(2016)
    terms = [(y, h) for y in range(2021, 2026) for h in (1, 7)]
    rows = []
    for _i in range(n):
        year, month = rng.choice(terms)
        import datetime as dt

        values = {name: 0 for name, _g, _a in COUNT_FIELDS}
        for _p in range(rng.randrange(0, 5)):
            values[rng.choice(COUNT_FIELDS)[0]] += 1
        values.update(date=dt.date(year, month + rng.randrange(0, 6), rng.randrange(1, 28)),
                      district=rng.choice(districts), category=rng.choice(Category.values),
                      milieu=rng.choice(Milieu.values), signs=rng.sample(list(SIGNS), 2),
                      source_organisation=None, description="Klistermärken vid stationen, borttagna samma dag.")
        rows.append(values)
    return rows


def _csv(rows: list[dict]) -> bytes:
    from varna.situation.importing import COLUMNS

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for row in rows:
        line = {**row, "district": row["district"].key, "signs": ";".join(row["signs"]),
                "date": row["date"].isoformat(), "source_organisation": ""}
        writer.writerow([line[c] for c in COLUMNS])
    return out.getvalue().encode()


def main() -> None:
    from django.test import Client

    from varna.core.models import Membership, Municipality, User
    from varna.situation import demo, importing, selectors
    from varna.situation.choices import term_of
    from varna.situation.models import Observation
    from varna.situation.suppression import INTERNAL

    teardown = create_test_database()
    try:
        municipality = Municipality.objects.create(name="Sollentuna", code="0163", slug="sollentuna")
        districts = demo.load_districts(municipality)
        user = User.objects.create_user(email="wg@example.se", password="x" * 16)
        Membership.objects.create(user=user, municipality=municipality, role="working_group")
        rows = _rows(districts, ROWS)
        content = _csv(rows)

        start = time.perf_counter()
        Observation.objects.bulk_create(
            [Observation(municipality=municipality, term=term_of(r["date"]), **r) for r in rows], batch_size=1000)
        raw_s = time.perf_counter() - start
        Observation.objects.all().delete()

        start = time.perf_counter()
        count = importing.import_file(actor=user, municipality=municipality, name="bench.csv", content=content)
        import_s = time.perf_counter() - start
        assert count == ROWS == Observation.objects.count()

        print(f"{ROWS} observations, {len(selectors.terms_of(municipality))} terms, {len(districts)} districts")
        print(f"{'import':<36}{'rows/s':>10}{'seconds':>9}{'ratio':>8}")
        print(f"{'raw bulk_create (baseline)':<36}{ROWS / raw_s:>10.0f}{raw_s:>9.2f}{1:>8.2f}")
        print(f"{'CSV import (validate, guard, save)':<36}{ROWS / import_s:>10.0f}{import_s:>9.2f}"
              f"{raw_s / import_s:>8.2f}")

        last = selectors.terms_of(municipality)[-1]
        specs = selectors.dashboard_specs()
        one = selectors.Filters(term_from=last, term_to=last)
        client = Client()
        client.force_login(user)
        print(f"{'dashboard':<36}{'req/s':>10}{'p50 ms':>9}{'p95 ms':>9}")
        for label, fn in [
            ("aggregate, one term", lambda: selectors.situation_tables(
                municipality=municipality, filters=one, policy=INTERNAL, specs=specs)),
            ("aggregate, all terms", lambda: selectors.situation_tables(
                municipality=municipality, filters=selectors.Filters(), policy=INTERNAL, specs=specs)),
            ("page, one term", lambda: client.get(f"/sollentuna/situation/?term_from={last}&term_to={last}")),
            ("page, all terms", lambda: client.get("/sollentuna/situation/")),
        ]:
            rps, p50, p95 = rate(fn, seconds=3, warmup=2)
            print(f"{label:<36}{rps:>10.1f}{p50:>9.1f}{p95:>9.1f}")
    finally:
        teardown()


if __name__ == "__main__":
    main()
