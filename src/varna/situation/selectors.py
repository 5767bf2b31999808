"""Reads for the situation picture, scoped by municipality.

:func:`situation_tables` is the one aggregate every output uses (dashboard tables and charts, map,
exports, term report): it counts people involved per any two dimensions and passes every table through
:func:`varna.disclosure.suppression.suppress_table` with the policy the caller was given, so no output can
forget to suppress.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from django.db.models import Count, Max, Min, QuerySet, Sum
from django.http import Http404

from varna.core.models import Municipality
from varna.core.selectors import scoped
from varna.core.terms import term_label, terms_between
from varna.disclosure.catalogue import PublishedTerm, publish_series, publish_term
from varna.disclosure.suppression import PUBLISHED, Cell, Policy, suppress_table, withheld
from varna.knowledge import selectors as knowledge
from varna.situation.choices import AGE_BANDS, COUNT_FIELDS, GENDERS
from varna.situation.models import District, Observation, ObservationRollup

# What Filters.apply narrows: observations, or the rollup of their counts.
_Counted = TypeVar("_Counted", Observation, ObservationRollup)

DIMENSIONS = ("term", "district", "milieu", "category", "gender", "age")
# Dimensions that are columns of the observation row (the others come from the count fields).
_ROW_DIMENSIONS = {"term": "term", "district": "district_id", "milieu": "milieu", "category": "category"}


def districts_of(municipality: Municipality) -> QuerySet[District]:
    return scoped(District.objects.all(), municipality)


def observations_of(municipality: Municipality) -> QuerySet[Observation]:
    return scoped(Observation.objects.all(), municipality).select_related(
        "district", "source_organisation", "reported_by")


def observations_filtered(municipality: Municipality, filters: Filters) -> QuerySet[Observation]:
    """The observation list under the dashboard's filters, newest first: the page's pages and the export."""
    return filters.apply(observations_of(municipality)).order_by("-date", "-id")


def observation_get(municipality: Municipality, pk: int) -> Observation:
    observation = observations_of(municipality).filter(pk=pk).first()
    if observation is None:
        raise Http404
    return observation


def terms_of(municipality: Municipality) -> list[str]:
    """Every term from the first to the last with observations (gaps included, so trends show them)."""
    bounds = scoped(Observation.objects.all(), municipality).aggregate(first=Min("term"), last=Max("term"))
    if not bounds["first"]:
        return []
    return terms_between(bounds["first"], bounds["last"])


_DATA_DIR = Path(__file__).resolve().parent / "data"


def district_geojson(municipality: Municipality) -> dict[str, Any] | None:
    """The uploaded district boundaries, else a file shipped for the demo, else None (no map)."""
    from varna.situation.models import DistrictMap

    uploaded = DistrictMap.objects.filter(municipality=municipality).first()
    if uploaded is not None:
        return uploaded.geojson
    path = _DATA_DIR / f"{municipality.slug}_districts.geojson"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


def district_map_stamp(municipality: Municipality) -> tuple[Any, ...] | None:
    """What `district_geojson` would return, in a few values that change whenever it does (the upload's id and
    time, or the shipped file's size and time), without reading the boundaries: the map's cache key."""
    from varna.situation.models import DistrictMap

    uploaded = DistrictMap.objects.filter(municipality=municipality).values_list("pk", "uploaded_at").first()
    if uploaded is not None:
        return ("uploaded", uploaded[0], uploaded[1].isoformat())
    path = _DATA_DIR / f"{municipality.slug}_districts.geojson"
    if not path.exists():
        return None
    stat = path.stat()
    return ("file", str(path), stat.st_size, stat.st_mtime_ns)


def has_synthetic(municipality: Municipality) -> bool:
    return scoped(Observation.objects.all(), municipality).filter(synthetic=True).exists()


@dataclass(frozen=True)
class Filters:
    term_from: str = ""
    term_to: str = ""
    district: District | None = None
    milieu: str = ""
    category: str = ""
    terms: tuple[str, ...] = ()  # exact terms (the term report's "this term and the last")

    def apply(self, queryset: QuerySet[_Counted]) -> QuerySet[_Counted]:
        """Filter observations, or the rollup, which has the same term/district/milieu/category columns."""
        if self.term_from:
            queryset = queryset.filter(term__gte=self.term_from)
        if self.term_to:
            queryset = queryset.filter(term__lte=self.term_to)
        if self.terms:
            queryset = queryset.filter(term__in=self.terms)
        if self.district is not None:
            queryset = queryset.filter(district=self.district)
        if self.milieu:
            queryset = queryset.filter(milieu=self.milieu)
        if self.category:
            queryset = queryset.filter(category=self.category)
        return queryset

    def as_dict(self) -> dict[str, str]:
        """What the audit log and the export links carry (no objects, no personal data)."""
        data = {"term_from": self.term_from, "term_to": self.term_to,
                "district": self.district.key if self.district else "", "milieu": self.milieu,
                "category": self.category, "terms": ",".join(self.terms)}
        return {key: value for key, value in data.items() if value}


@dataclass(frozen=True)
class TableSpec:
    key: str
    caption: str
    rows: str
    columns: tuple[str, ...] = ("gender",)
    # "people" sums the people involved (split by gender and age band); "observations" counts the
    # observations themselves, which also shows the ones that involve nobody known (stickers, graffiti).
    measure: str = "people"


@dataclass
class TableRow:
    key: Any
    label: str
    cells: list[Cell]
    total: Cell


@dataclass
class SituationTable:
    key: str
    caption: str
    row_header: str
    columns: list[tuple[Any, str]]
    rows: list[TableRow]
    column_totals: list[Cell]
    grand_total: Cell
    policy: Policy = field(repr=False)

    def display_rows(self) -> list[list[str]]:
        """Header, body and totals as the strings shown: what every export writes."""
        from django.utils.translation import gettext as _

        lines = [[self.row_header, *[label for _key, label in self.columns], str(_("Total"))]]
        lines += [[row.label, *[c.display for c in row.cells], row.total.display] for row in self.rows]
        lines.append([str(_("Total")), *[c.display for c in self.column_totals], self.grand_total.display])
        return lines


def _dimension_values(dimension: str, municipality: Municipality, filters: Filters,
                      terms: list[str]) -> list[tuple[Any, str]]:
    from django.utils.translation import gettext as _

    if dimension == "term":
        return [(term, term_label(term)) for term in terms]
    if dimension == "district":
        districts = districts_of(municipality)
        if filters.district is not None:
            districts = districts.filter(pk=filters.district.pk)
        return [(d.pk, d.name) for d in districts]
    if dimension in ("milieu", "category"):
        # Every entry of the municipality's vocabulary, retired ones too: past terms were counted under them.
        chosen = getattr(filters, dimension)
        return [(e.key, e.label) for e in knowledge.vocabulary_of(municipality).of(dimension)
                if not chosen or e.key == chosen]
    if dimension == "gender":
        return [(g.value, str(g.label)) for g in GENDERS]
    if dimension == "age":
        return [(a.value, str(a.label)) for a in AGE_BANDS]
    raise ValueError(_("Unknown dimension"))


def _header(dimension: str) -> str:
    from django.utils.translation import gettext as _

    headers = {"term": _("Term"), "district": _("District"), "milieu": _("Milieu"), "category": _("Category"),
               "gender": _("Gender"), "age": _("Age band")}
    return str(headers[dimension])


def _terms_in_range(municipality: Municipality, filters: Filters) -> list[str]:
    if filters.terms:
        return sorted(filters.terms)
    terms = terms_of(municipality)
    if filters.term_from:
        terms = [t for t in terms if t >= filters.term_from]
    if filters.term_to:
        terms = [t for t in terms if t <= filters.term_to]
    return terms


def situation_tables(*, municipality: Municipality, filters: Filters, policy: Policy,
                     specs: Sequence[TableSpec]) -> list[SituationTable]:
    """Counts of people involved, per two or more dimensions, suppressed by ``policy``.

    Each table is one grouped query over the filtered observations, grouped only by the dimensions it
    needs, so the database does the counting and the result is a handful of rows; rows and columns
    include every possible value (zero too), so tables keep their shape whatever the filters.
    """

    # The rollup has the same term/district/milieu/category columns, so the same filters apply.
    queryset = filters.apply(scoped(ObservationRollup.objects.all(), municipality)).order_by()
    sums = {f"s_{name}": Sum(name) for name, _g, _a in COUNT_FIELDS}
    terms = _terms_in_range(municipality, filters)
    values_cache: dict[str, list[tuple[Any, str]]] = {}

    def values(dimension: str) -> list[tuple[Any, str]]:
        if dimension not in values_cache:
            values_cache[dimension] = _dimension_values(dimension, municipality, filters, terms)
        return values_cache[dimension]

    tables = []
    for spec in specs:
        grouped = [_ROW_DIMENSIONS[d] for d in (spec.rows, *spec.columns) if d in _ROW_DIMENSIONS]
        measure = {"n": Sum("observations")} if spec.measure == "observations" else sums
        records = list(queryset.values(*grouped).annotate(**measure)) if grouped else [queryset.aggregate(**measure)]
        row_values = values(spec.rows)
        column_values: list[tuple[Any, str]] = [((), "")]
        for dimension in spec.columns:
            column_values = [((*key, k), f"{label} – {lab}" if label else lab)
                             for key, label in column_values for k, lab in values(dimension)]
        row_index = {key: i for i, (key, _label) in enumerate(row_values)}
        col_index = {key: j for j, (key, _label) in enumerate(column_values)}
        matrix = [[0] * len(column_values) for _row in row_values]
        for record in records:
            point = {dimension: record[column] for dimension, column in _ROW_DIMENSIONS.items()
                     if column in record}
            if spec.measure == "observations":
                i = row_index.get(point[spec.rows])
                j = col_index.get(tuple(point[d] for d in spec.columns))
                if i is not None and j is not None:
                    matrix[i][j] += record["n"] or 0
                continue
            for name, gender, age in COUNT_FIELDS:
                count = record[f"s_{name}"]
                if not count:
                    continue
                point["gender"], point["age"] = gender, age
                i = row_index.get(point[spec.rows])
                j = col_index.get(tuple(point[d] for d in spec.columns))
                if i is not None and j is not None:
                    matrix[i][j] += count
        suppressed = suppress_table(matrix, policy)
        tables.append(SituationTable(
            key=spec.key, caption=spec.caption, row_header=_header(spec.rows), columns=column_values,
            rows=[TableRow(key, label, suppressed.cells[i], suppressed.row_totals[i])
                  for i, (key, label) in enumerate(row_values)],
            column_totals=suppressed.col_totals, grand_total=suppressed.grand_total, policy=policy))
    return tables


def dashboard_specs() -> list[TableSpec]:
    """The dashboard's tables: every breakdown split by gender (the plan's gender perspective)."""
    from django.utils.translation import gettext as _

    return [
        TableSpec("term", _("People involved per term, by gender"), "term"),
        TableSpec("district", _("People involved per district, by gender"), "district"),
        TableSpec("milieu", _("People involved per milieu, by gender"), "milieu"),
        TableSpec("category", _("People involved per category, by gender"), "category"),
        TableSpec("age", _("People involved per age band, by gender"), "age"),
        TableSpec("observations", _("Observations per category and term"), "category", ("term",),
                  measure="observations"),
    ]


def report_specs() -> list[TableSpec]:
    """The term report's tables: this term against the last, split by gender."""
    from django.utils.translation import gettext as _

    return [
        TableSpec("milieu", _("People involved per milieu: this term and the last, by gender"), "milieu",
                  ("term", "gender")),
        TableSpec("district", _("People involved per district: this term and the last, by gender"), "district",
                  ("term", "gender")),
        TableSpec("category", _("People involved per category: this term and the last, by gender"), "category",
                  ("term", "gender")),
    ]


# --- the published catalogue -----------------------------------------------------------------------
#
# What leaves the working group (the steering group's pages, exports and API, the term and annual
# reports) comes only from here: one whole term at a time, every breakdown crossed with gender and no
# other filter, protected together by varna.disclosure.catalogue (ADR 0016).

PUBLISHED_BREAKDOWNS = ("district", "milieu", "category", "age")


@dataclass
class TermCounts:
    """The true counts of one term: each breakdown as rows × genders, and observations per category."""

    breakdowns: dict[str, list[list[int]]]
    observations: list[int]


def _term_counts(municipality: Municipality, terms: Sequence[str]) -> dict[str, TermCounts]:

    sums = {f"s_{name}": Sum(name) for name, _g, _a in COUNT_FIELDS}
    genders = {g.value: j for j, g in enumerate(GENDERS)}
    keys = {d: [k for k, _l in _dimension_values(d, municipality, Filters(), [])]
            for d in (*PUBLISHED_BREAKDOWNS, "category")}
    index = {d: {k: i for i, k in enumerate(values)} for d, values in keys.items()}
    counts = {term: TermCounts({d: [[0] * len(genders) for _k in keys[d]] for d in PUBLISHED_BREAKDOWNS},
                               [0] * len(keys["category"])) for term in terms}
    records = (scoped(ObservationRollup.objects.all(), municipality).filter(term__in=list(terms)).order_by()
               .values("term", "district_id", "milieu", "category").annotate(n=Sum("observations"), **sums))
    for values in records:
        record: dict[str, Any] = dict(values)  # a plain dict: the sums are looked up by computed names
        found = {"district": index["district"].get(record["district_id"]),
                 "milieu": index["milieu"].get(record["milieu"]),
                 "category": index["category"].get(record["category"])}
        rows = {dimension: i for dimension, i in found.items() if i is not None}
        if len(rows) < len(found):
            continue  # a value no longer offered: left out of every table alike, so the totals still agree
        term = counts[record["term"]]
        term.observations[rows["category"]] += record["n"] or 0
        for name, gender, age in COUNT_FIELDS:
            value = record[f"s_{name}"] or 0
            if value:
                rows["age"] = index["age"][age]
                for dimension in PUBLISHED_BREAKDOWNS:
                    term.breakdowns[dimension][rows[dimension]][genders[gender]] += value
    return counts


def published_terms(municipality: Municipality, terms: Sequence[str],
                    policy: Policy = PUBLISHED) -> dict[str, tuple[PublishedTerm, Any]]:
    """Each term's published tables (and its observations per category), protected as one set."""
    counts = _term_counts(municipality, terms)
    return {term: (publish_term(c.breakdowns, policy), publish_series(c.observations, policy))
            for term, c in counts.items()}


def published_tables(*, municipality: Municipality, term: str, policy: Policy = PUBLISHED) -> list[SituationTable]:
    """The published dashboard for one whole term: the trend (one row per term, each the same margin as
    that term's own tables; no total over several terms) and the term's breakdowns by gender."""

    terms = terms_of(municipality)
    if term not in terms:
        terms = sorted({*terms, term})
    published = published_terms(municipality, terms, policy)
    genders = _dimension_values("gender", municipality, Filters(), terms)
    captions = {spec.key: spec.caption for spec in dashboard_specs()}
    label = term_label(term)
    n_genders = len(genders)
    tables = [SituationTable(
        key="term", caption=captions["term"], row_header=_header("term"), columns=genders,
        rows=[TableRow(t, term_label(t), list(published[t][0].margin), published[t][0].total) for t in terms],
        column_totals=[withheld() for _g in range(n_genders)], grand_total=withheld(), policy=policy)]
    this_term, observations = published[term]
    for dimension in PUBLISHED_BREAKDOWNS:
        table = this_term.tables[dimension]
        rows = _dimension_values(dimension, municipality, Filters(), terms)
        tables.append(SituationTable(
            key=dimension, caption=f"{captions[dimension]}, {label}", row_header=_header(dimension),
            columns=genders, rows=[TableRow(key, row_label, table.cells[i], table.row_totals[i])
                                   for i, (key, row_label) in enumerate(rows)],
            column_totals=table.col_totals, grand_total=table.grand_total, policy=policy))
    categories = _dimension_values("category", municipality, Filters(), terms)
    tables.append(SituationTable(
        key="observations", caption=f"{captions['observations']}, {label}", row_header=_header("category"),
        columns=[(term, label)], rows=[TableRow(key, row_label, [observations.cells[i]], observations.cells[i])
                                       for i, (key, row_label) in enumerate(categories)],
        column_totals=[observations.total], grand_total=observations.total, policy=policy))
    return tables


def published_report(*, municipality: Municipality, terms: Sequence[str],
                     policy: Policy = PUBLISHED) -> tuple[SituationTable, list[SituationTable]]:
    """The published term report (and the annual report's section) for ``terms``: a summary with one row
    per term (the same margins as the dashboard's trend) and each term's milieu, district and category
    tables side by side. No figure spans two terms: a total over both could be subtracted."""
    from django.utils.translation import gettext as _

    published = published_terms(municipality, terms, policy)
    genders = _dimension_values("gender", municipality, Filters(), list(terms))
    summary = SituationTable(
        key="summary", caption=str(_("People involved per term, by gender")), row_header=_header("term"),
        columns=genders, rows=[TableRow(t, term_label(t), list(published[t][0].margin), published[t][0].total)
                               for t in terms],
        column_totals=[withheld() for _g in genders], grand_total=withheld(), policy=policy)
    captions = {"milieu": _("People involved per milieu, by gender"),
                "district": _("People involved per district, by gender"),
                "category": _("People involved per category, by gender")}
    tables = []
    for dimension in ("milieu", "district", "category"):
        rows = _dimension_values(dimension, municipality, Filters(), list(terms))
        for term in terms:
            table = published[term][0].tables[dimension]
            tables.append(SituationTable(
                key=f"{dimension}-{term}", caption=f"{captions[dimension]}, {term_label(term)}",
                row_header=_header(dimension), columns=genders,
                rows=[TableRow(key, label, table.cells[i], table.row_totals[i]) for i, (key, label) in enumerate(rows)],
                column_totals=table.col_totals, grand_total=table.grand_total, policy=policy))
    return summary, tables


# --- the situation survey --------------------------------------------------------------------------


def surveys_of(municipality: Municipality) -> QuerySet[Any]:
    from varna.situation.models import Survey

    return scoped(Survey.objects.all(), municipality).select_related("municipality").prefetch_related("links")


def survey_get(municipality: Municipality, pk: int) -> Any:
    survey = surveys_of(municipality).filter(pk=pk).first()
    if survey is None:
        raise Http404
    return survey


def latest_survey(municipality: Municipality, *, until: Any) -> Any:
    """The most recent survey that had opened by ``until`` (the term report's survey section)."""
    return surveys_of(municipality).filter(opens_on__lte=until).order_by("-opens_on", "-id").first()


def previous_survey(survey: Any) -> Any:
    """The survey before this one, to compare with (answers are stored against stable question keys)."""
    return (surveys_of(survey.municipality).filter(opens_on__lt=survey.opens_on)
            .order_by("-opens_on", "-id").first())


def survey_link_get(municipality: Municipality, token: str) -> Any:
    from varna.situation.models import SurveyLink

    link = SurveyLink.objects.select_related("survey").filter(token=token, survey__municipality=municipality).first()
    if link is None:
        raise Http404
    return link


@dataclass
class QuestionResult:
    key: str
    text: str
    answers: int
    table: SituationTable | None = None
    too_few: list[str] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)


def survey_results(*, survey: Any, policy: Policy, with_texts: bool = False) -> list[QuestionResult]:
    """Answers per question and audience under ``policy``. An audience that gave a question ``threshold``
    answers or fewer is left out of that question's table entirely ("too few answers"), so that nothing
    about it can be worked out from the totals; the remaining table is suppressed like any other."""
    from django.utils.translation import gettext as _

    from varna.situation.models import SurveyAnswer
    from varna.situation.survey_bank import BY_KEY, Audience, Kind

    counts: dict[tuple[str, str, str], int] = {}
    for row in (SurveyAnswer.objects.filter(survey=survey).exclude(question__in=[
            k for k in survey.questions if BY_KEY[k].kind == Kind.TEXT])
            .values("question", "audience", "value").annotate(n=Count("id")).order_by()):
        counts[(row["question"], row["audience"], row["value"])] = row["n"]
    audiences = [(a, str(label)) for a, label in Audience.choices if survey.links.filter(audience=a).exists()]
    districts = [(d.key, d.name) for d in districts_of(survey.municipality)]
    results = []
    for key in survey.questions:
        question = BY_KEY[key]
        result = QuestionResult(key, str(question.text), 0)
        if question.kind == Kind.TEXT:
            texts = list(SurveyAnswer.objects.filter(survey=survey, question=key).values_list("value", flat=True))
            result.answers = len(texts)
            if len(texts) <= policy.threshold:
                result.too_few = [str(_("All audiences"))]
            elif with_texts:
                result.texts = sorted(texts)
            results.append(result)
            continue
        options = districts if question.kind == Kind.DISTRICT else [(k, str(v)) for k, v in question.options]
        per_audience = {a: sum(n for (q, aud, _v), n in counts.items() if q == key and aud == a) for a, _l in audiences}
        result.answers = sum(per_audience.values())
        shown = [(a, label) for a, label in audiences if per_audience[a] > policy.threshold]
        result.too_few = [label for a, label in audiences if 0 < per_audience[a] <= policy.threshold]
        if shown:
            matrix = [[counts.get((key, a, option), 0) for a, _l in shown] for option, _label in options]
            suppressed = suppress_table(matrix, policy)
            result.table = SituationTable(
                key=key, caption=str(question.text), row_header=str(_("Answer")), columns=shown,
                rows=[TableRow(option, label, suppressed.cells[i], suppressed.row_totals[i])
                      for i, (option, label) in enumerate(options)],
                column_totals=suppressed.col_totals, grand_total=suppressed.grand_total, policy=policy)
        results.append(result)
    return results


def breakdown_values(municipality: Municipality, dimension: str) -> list[tuple[Any, str]]:
    """The rows of one published breakdown, in the catalogue's order (districts are keyed by pk): what
    other modules need to read a row of :func:`published_terms` without knowing the vocabulary."""
    return _dimension_values(dimension, municipality, Filters(), [])
