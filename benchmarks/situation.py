"""Situation picture at 10 k and 1 M observations: dashboard latency, and the import rate against
PostgreSQL ``COPY`` of the same rows, both measured in the same run.

* Import: a 20 000-row CSV (the most one upload may hold) through the service the upload page calls
  (``importing.import_file``: parse, validate every row with the personal-data guard, save atomically,
  update the rollup, audit), against ``COPY situation_observation FROM STDIN`` of the same rows, already
  written out in the table's own columns, so the baseline is the database's bulk load and nothing else.
  Each is timed five times, in turns, into an empty table and committed; the best time of each counts.
  Target: import >= 0.5x COPY.
* Dashboard: the whole page (filters, suppressed tables, SVG charts, map) through Django's test client as
  a logged-in coordinator who passed two-factor, for one term and for all terms, at 10 k and then at
  1 M observations; p50 and p95 in milliseconds, and the aggregate selector alone as a breakdown.
  Targets: p95 < 100 ms at 1 M, and at most 2x the 10 k figure.

The fixture rows (realistic descriptions from the guard's test corpus, 10 terms, 11 districts) are loaded
with COPY, the rollup is rebuilt once, the tables are analysed (as autovacuum would on a live server) and a
checkpoint is taken, so that the background flush of the load doesn't fall into the timing. The figures that
are compared take turns (baseline and import; one term and all terms), so that they meet the same machine.

Runs on PostgreSQL: DATABASE_URL, by default ``postgres://postgres@127.0.0.1:5432/varna_bench`` (a
throw-away ``test_varna_bench`` is created on that server and dropped after). When no server answers
there, it runs on SQLite at 10 k only, against ``bulk_create``, and says so.

Environment: SITUATION_BENCH_SIZES (default ``10000,1000000`` on PostgreSQL, ``10000`` on SQLite;
``10000,1000000,10000000`` adds the 10 M run, see benchmarks/README.md), SITUATION_BENCH_IMPORT_ROWS
(default and maximum 20000), SITUATION_BENCH_SECONDS (time per latency figure, default 4).
"""

from __future__ import annotations

import csv
import datetime as dt
import gc
import io
import os
import random
import statistics
import time
from collections.abc import Callable, Iterator
from typing import Any

from common import ROOT, SMOKE, create_test_database, setup_django, verdict
from django.utils import timezone

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/varna_bench"
TERMS = 10  # the last ten whole terms before today's, so that no date lies in the future
SECONDS = float(os.environ.get("SITUATION_BENCH_SECONDS", "0.2" if SMOKE else "4"))
P95_TARGET_MS = 100.0
TRIALS = 1 if SMOKE else 5  # of the import and of its baseline, each
MIN_SAMPLES = 3 if SMOKE else 40


def _choose_database() -> str:
    """Use DATABASE_URL if set; else the local PostgreSQL if it answers; else SQLite, with a note."""
    if os.environ.get("DATABASE_URL"):
        return os.environ["DATABASE_URL"].split(":", 1)[0]
    try:
        import psycopg

        psycopg.connect("host=127.0.0.1 port=5432 user=postgres dbname=postgres", connect_timeout=3).close()
    except Exception as exc:  # any failure to connect means: no server to benchmark against
        print(f"NOTE: no PostgreSQL at 127.0.0.1:5432 ({type(exc).__name__}); running on SQLite at 10 k only, "
              "with bulk_create as the import baseline. Set DATABASE_URL to benchmark PostgreSQL.")
        return "sqlite"
    os.environ["DATABASE_URL"] = DEFAULT_DATABASE_URL
    return "postgres"


# --- synthetic observations ------------------------------------------------------------------------


class Row:
    """One synthetic observation, with everything as plain values (ids and keys)."""

    __slots__ = ("date", "district", "category", "milieu", "signs", "organisation", "description", "counts")


def _generate(n: int, seed: int, districts: list[Any], organisations: list[Any]) -> Iterator[Row]:
    from django.conf import settings

    from varna.core.terms import Term
    from varna.knowledge.vocabulary import template_items
    from varna.situation.choices import COUNT_FIELDS

    rng = random.Random(seed)  # reproducible synthetic data # nosec B311
    corpus = (ROOT / "tests" / "disclosure" / "data" / "clean_descriptions.txt").read_text(encoding="utf-8")
    # One in five rows without a description, as in the demo; the rest real-looking text for the guard.
    descriptions = [line for line in corpus.splitlines() if line.strip()] + [""] * 60
    terms = [Term.parse(Term.of(timezone.localdate()).key).previous().key]
    while len(terms) < TERMS:
        terms.append(Term.parse(terms[-1]).previous().key)
    starts = [Term.parse(term).start.toordinal() for term in terms]
    # The words a new municipality starts with (the template edition of the settings).
    sign_keys, categories, milieus = ([item["key"] for item in template_items(kind, settings.VARNA_VOCABULARY_EDITION)]
                                      for kind in ("sign", "category", "milieu"))
    width = len(COUNT_FIELDS)
    for _i in range(n):
        row = Row()
        row.date = dt.date.fromordinal(rng.choice(starts) + rng.randrange(0, 181))
        row.district = rng.choice(districts)
        row.category = rng.choice(categories)
        row.milieu = rng.choice(milieus)
        row.signs = rng.sample(sign_keys, rng.randrange(0, 3))
        row.organisation = rng.choice(organisations) if rng.random() < 0.7 else None
        row.description = rng.choice(descriptions)
        counts = [0] * width
        for _p in range(rng.randrange(0, 5)):
            counts[rng.randrange(width)] += 1
        row.counts = counts
        yield row


def _import_csv(rows: list[Row]) -> bytes:
    """The rows as a user would upload them (the import template's columns)."""
    from varna.situation.importing import COLUMNS

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow([row.date.isoformat(), row.district.key, row.category, row.milieu, ";".join(row.signs),
                         row.organisation.key if row.organisation else "", row.description, *row.counts])
    return out.getvalue().encode()


def _table_columns() -> list[str]:
    from varna.situation.choices import COUNT_FIELDS

    return ["municipality_id", "date", "term", "district_id", "category", "milieu", "signs",
            "source_organisation_id", "description", "reported_by_id", "synthetic", "created_at", "updated_at",
            *[name for name, _g, _a in COUNT_FIELDS]]


def _table_csv(rows: Iterator[Row] | list[Row], municipality_id: int, reported_by: int | None) -> bytes:
    """The rows in the observation table's own columns, as COPY ... (FORMAT csv) reads them."""
    import json

    from varna.core.terms import Term

    now = dt.datetime.now(dt.UTC).isoformat()
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for row in rows:
        writer.writerow([municipality_id, row.date.isoformat(), Term.of(row.date).key, row.district.pk, row.category,
                         row.milieu, json.dumps(row.signs), row.organisation.pk if row.organisation else "",
                         row.description, reported_by or "", "f", now, now, *row.counts])
    return out.getvalue().encode()


def _copy(payload: bytes) -> None:
    from django.db import connection

    columns = ", ".join(_table_columns())
    with connection.cursor() as cursor, cursor.cursor.copy(
            f"COPY situation_observation ({columns}) FROM STDIN (FORMAT csv, FORCE_NOT_NULL (description))") as copy:
        copy.write(payload)


def _bulk_create(rows: list[Row], municipality: Any, reported_by: Any) -> None:
    from varna.core.terms import Term
    from varna.situation.choices import COUNT_FIELDS
    from varna.situation.models import Observation

    names = [name for name, _g, _a in COUNT_FIELDS]
    Observation.objects.bulk_create([
        Observation(municipality=municipality, date=r.date, term=Term.of(r.date).key, district=r.district,
                    category=r.category, milieu=r.milieu, signs=r.signs, source_organisation=r.organisation,
                    description=r.description, reported_by=reported_by, **dict(zip(names, r.counts, strict=True)))
        for r in rows], batch_size=1000)


def _empty(postgres: bool) -> None:
    from django.db import connection

    from varna.situation.models import Observation, ObservationRollup

    if postgres:
        with connection.cursor() as cursor:
            # CASCADE: other tables (monitoring items) reference observations; the benchmark makes none,
            # but TRUNCATE refuses a referenced table without it.
            cursor.execute("TRUNCATE situation_observation, situation_observationrollup CASCADE")
    else:
        Observation.objects.all().delete()
        ObservationRollup.objects.all().delete()


def _analyse(postgres: bool) -> None:
    from django.db import connection

    if postgres:
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE situation_observation")
            cursor.execute("VACUUM ANALYZE situation_observationrollup")
            # Write the loaded pages out now, so that the checkpointer doesn't flush them in the background
            # while the dashboard is timed (that doubled p95 after the million rows).
            if _superuser(cursor):
                cursor.execute("CHECKPOINT")


def _superuser(cursor: Any) -> bool:
    cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
    return bool(cursor.fetchone()[0])


# --- measuring -------------------------------------------------------------------------------------


def _latencies(calls: dict[str, Callable[[], object]]) -> dict[str, tuple[float, float, int]]:
    """p50 and p95 in milliseconds of each call, and how many were timed: the calls take turns for SECONDS
    each (and at least 40 times each), after a warm-up, so that all of them meet the same machine."""
    for fn in calls.values():
        for _ in range(5):
            fn()
    gc.collect()  # not the garbage of the loading before: a full collection takes tens of ms
    samples: dict[str, list[float]] = {label: [] for label in calls}
    end = time.perf_counter() + SECONDS * len(calls)
    while time.perf_counter() < end or min(map(len, samples.values())) < MIN_SAMPLES:
        for label, fn in calls.items():
            start = time.perf_counter()
            fn()
            samples[label].append((time.perf_counter() - start) * 1000)
    result = {}
    for label, times in samples.items():
        times.sort()
        result[label] = (statistics.median(times), times[max(0, round(len(times) * 0.95) - 1)], len(times))
    return result


def _coordinator(municipality: Any) -> Any:
    """A coordinator's client, past two-factor as the real login leaves it."""
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from varna.core.models import Membership, User

    user = User.objects.create_user(email="samordnare@bench.example", password="x" * 16, full_name="Bench")
    Membership.objects.create(user=user, municipality=municipality, role="coordinator")
    client = Client()
    client.force_login(user)
    device = TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return user, client


def _distinct(rows: Iterator[Row]) -> Iterator[Row]:
    """The rows with every description made unique by a nonsense word of lower-case letters (which the guard
    reads as no kind of personal data), so that no two are alike."""
    for number, row in enumerate(rows):
        word, n = "", number
        while True:
            word, n = chr(ord("a") + n % 26) + word, n // 26
            if not n:
                break
        row.description = f"{row.description} Serie q{word}.".strip()
        yield row


def _measure_import(postgres: bool, municipality: Any, user: Any, rows: list[Row], *,
                    trials: int = 0) -> dict[str, float]:
    """Best of TRIALS (or `trials`) each, taken in turns (baseline, import, baseline, ...) so that both meet the
    same machine, each into an empty table and committed."""
    from django.db import transaction

    from varna.situation import importing
    from varna.situation.models import Observation

    content = _import_csv(rows)
    n = len(rows)
    payload = _table_csv(rows, municipality.pk, user.pk) if postgres else b""

    def baseline() -> None:
        if postgres:
            with transaction.atomic():
                _copy(payload)
        else:
            _bulk_create(rows, municipality, user)

    def run() -> None:
        assert importing.import_file(actor=user, municipality=municipality, name="bench.csv", content=content) == n

    best = {"baseline": float("inf"), "import": float("inf")}
    for _trial in range(trials or TRIALS):
        for name, fn in (("baseline", baseline), ("import", run)):
            _empty(postgres)
            start = time.perf_counter()
            fn()
            best[name] = min(best[name], time.perf_counter() - start)
            assert Observation.objects.count() == n
    _empty(postgres)
    return {"baseline": n / best["baseline"], "import": n / best["import"], "ratio": best["baseline"] / best["import"],
            "baseline_s": best["baseline"], "import_s": best["import"], "distinct": len({r.description for r in rows})}


def _load_fixture(postgres: bool, municipality: Any, user: Any, rows: Iterator[Row], count: int) -> None:
    """Load ``count`` more rows, in chunks so memory stays flat at any size."""
    from itertools import islice

    from django.db import transaction

    while count > 0:
        chunk = list(islice(rows, min(count, 100_000)))
        count -= len(chunk)
        if postgres:
            with transaction.atomic():
                _copy(_table_csv(chunk, municipality.pk, user.pk))
        else:
            _bulk_create(chunk, municipality, user)


def _measure_dashboard(municipality: Any, client: Any) -> dict[str, tuple[float, float, int]]:
    from varna.disclosure.suppression import INTERNAL
    from varna.situation import selectors

    last = selectors.terms_of(municipality)[-1]
    one = selectors.Filters(term_from=last, term_to=last)
    specs = selectors.dashboard_specs()
    page = "/sollentuna/situation/"

    def get(url: str) -> None:
        response = client.get(url)
        assert response.status_code == 200, response.status_code

    return {
        **_latencies({"page, one term": lambda: get(f"{page}?term_from={last}&term_to={last}"),
                      "page, all terms": lambda: get(page)}),
        **_latencies({
            "aggregate only, one term": lambda: selectors.situation_tables(
                municipality=municipality, filters=one, policy=INTERNAL, specs=specs),
            "aggregate only, all terms": lambda: selectors.situation_tables(
                municipality=municipality, filters=selectors.Filters(), policy=INTERNAL, specs=specs)}),
    }


def main() -> None:
    engine = _choose_database()
    setup_django()
    from django.db import connection

    from varna.core.models import Municipality, Organisation
    from varna.situation import demo, importing, services
    from varna.situation.models import ObservationRollup

    postgres = connection.vendor == "postgresql"
    default_sizes = "1000,5000" if SMOKE else "10000,1000000" if postgres else "10000"
    sizes = [int(s) for s in os.environ.get("SITUATION_BENCH_SIZES", default_sizes).split(",")]
    import_rows = min(int(os.environ.get("SITUATION_BENCH_IMPORT_ROWS", 500 if SMOKE else importing.MAX_ROWS)),
                      importing.MAX_ROWS)
    teardown = create_test_database()
    try:
        started = time.perf_counter()
        municipality = Municipality.objects.create(name="Sollentuna", code="0163", slug="sollentuna")
        districts = demo.load_districts(municipality)
        organisations = [Organisation.objects.create(municipality=municipality, key=key, name=key.title(),
                                                     kind="school") for key in ("kfk", "buk", "sok")]
        user, client = _coordinator(municipality)
        version = (f"PostgreSQL {connection.pg_version // 10000}.{connection.pg_version % 10000}" if postgres
                   else f"SQLite {connection.Database.sqlite_version}")
        print(f"database: {version} ({engine}), {os.cpu_count()} cores, "
              f"load average {os.getloadavg()[0]:.1f} at the start")

        figures = _measure_import(postgres, municipality, user,
                                  list(_generate(import_rows, 1, districts, organisations)))
        baseline_name = "COPY (baseline)" if postgres else "bulk_create (baseline)"
        print(f"\nimport of {import_rows} rows, best of {TRIALS} each{'':8}{'rows/s':>10}{'seconds':>9}{'ratio':>8}")
        print(f"{baseline_name:<44}{figures['baseline']:>10.0f}{figures['baseline_s']:>9.2f}{1:>8.2f}")
        print(f"{'CSV import (parse, validate, guard, save)':<44}{figures['import']:>10.0f}"
              f"{figures['import_s']:>9.2f}{figures['ratio']:>8.2f}")
        print(f"  ({figures['distinct']} distinct descriptions in {import_rows} rows: the guard scans each distinct "
              "text once per import)")
        if postgres:
            # The worst case, for the record: no two descriptions alike, so the guard scans every one.
            worst = _measure_import(postgres, municipality, user, list(_distinct(
                _generate(import_rows, 1, districts, organisations))), trials=1)
            print(f"{'the same, every description distinct (1 trial)':<44}{worst['import']:>10.0f}"
                  f"{worst['import_s']:>9.2f}{worst['ratio']:>8.2f}")

        rows = _generate(max(sizes), 2016, districts, organisations)
        loaded, results = 0, {}
        for size in sizes:
            start = time.perf_counter()
            _load_fixture(postgres, municipality, user, rows, size - loaded)
            loaded = size
            rollup = services.rollup_rebuild(municipality=municipality)
            _analyse(postgres)
            load_s = time.perf_counter() - start
            assert ObservationRollup.objects.filter(municipality=municipality).count() == rollup
            results[size] = _measure_dashboard(municipality, client)
            print(f"\ndashboard at {size:,} observations ({rollup} rollup rows; loaded and rolled up in "
                  f"{load_s:.1f} s){'':4}{'p50 ms':>9}{'p95 ms':>9}{'n':>6}")
            for label, (p50, p95, n) in results[size].items():
                print(f"  {label:<60}{p50:>9.1f}{p95:>9.1f}{n:>6}")

        print("\nsummary")
        if postgres:
            verdict("import / COPY of the same rows", figures["ratio"], 0.5)
        else:
            print(f"  import / bulk_create: {figures['ratio']:.2f}x (the target is against COPY: PostgreSQL only)")
        small, large = sizes[0], sizes[-1]
        for label in ("page, one term", "page, all terms"):
            p95_small, p95_large = results[small][label][1], results[large][label][1]
            verdict(f"dashboard {label}, p95 at {large:,}", p95_large, P95_TARGET_MS, at_most=True, unit="ms")
            if large != small:
                verdict(f"dashboard {label}, p95 at {large:,} / at {small:,}", p95_large / p95_small, 2,
                        at_most=True)
            # The page around its data: what the page costs beyond the aggregate it shows (medians).
            aggregate = results[large][label.replace("page", "aggregate only")][0]
            verdict(f"dashboard {label}, page / its aggregate alone at {large:,} (p50)",
                    results[large][label][0] / aggregate, 2, at_most=True)
        print(f"  whole run: {time.perf_counter() - started:.0f} s, load average {os.getloadavg()[0]:.1f} at the end")
    finally:
        teardown()


if __name__ == "__main__":
    main()
