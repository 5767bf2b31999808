"""The shapes the API reads and writes. Names and fields are part of the OpenAPI schema clients are
generated from: change them only with a new version."""

import datetime as dt

from ninja import Schema
from pydantic import Field

from varna.guidance import selectors as guidance_selectors


class ErrorItem(Schema):
    field: str | None = None
    message: str


class ErrorOut(Schema):
    detail: str
    errors: list[ErrorItem] = []


class ActivityOut(Schema):
    plan: str = Field(description="Address name (slug) of the plan")
    version: int = Field(description="Number of the plan version in force that holds the activity")
    key: str
    level: str
    direction: str
    action: str
    responsible: list[str]
    responsible_text: str
    cadence_kind: str
    cadence_count: int | None
    when_text: str


class LevelOut(Schema):
    key: str
    name: str
    introduction: str
    activities: list[ActivityOut]


class PlanSummaryOut(Schema):
    slug: str
    title: str
    approved_version: int | None = Field(description="The version in force today, else the next to come into force")
    in_force_from: dt.date | None = Field(description="The day that version is in force from")
    in_force_to: dt.date | None = Field(description="Its last day, if a later version or its own end closes it")


class DecisionOut(Schema):
    """The decision that adopted the version: body, its kind, date, paragraph and registry number."""

    body_kind: str
    body: str
    date: dt.date | None
    paragraph: str
    registry_number: str


class PlanOut(Schema):
    slug: str
    title: str
    version: int
    valid_from: dt.date | None
    valid_to: dt.date | None
    in_force_from: dt.date | None = Field(description="The first day the version is in force (never before adoption)")
    in_force_to: dt.date | None = Field(description="The last day it is in force, if known")
    decision: DecisionOut
    # When the approval was entered in Värna (not the decision: see `decision.date`).
    approved_at: dt.datetime | None
    decision_reference: str
    levels: list[LevelOut]


# Every term in the API is one key (varna.core.terms, ADR 0018): the follow-up and training used to send
# "2026-autumn"; those endpoints now send "2026-2" like the situation picture always did.
TERM_KEY = "School term: YYYY-1 is the spring term (VT), YYYY-2 the autumn term (HT)"


class LogOut(Schema):
    id: int
    plan: str = Field(description="Address name (slug) of the plan the activity belongs to")
    activity: str
    unit: str | None
    date: dt.date
    term: str = Field(description=TERM_KEY)
    description: str
    participants: int | None
    link: str
    source: str


class LogIn(Schema):
    plan: str | None = Field(default=None, max_length=80,
                             description="Address name of the plan; needed when several plans have the key")
    activity: str = Field(min_length=1, max_length=80)
    unit: str | None = Field(default=None, max_length=60, description="Key of the unit; empty for all responsible")
    date: dt.date
    description: str = Field(min_length=1, max_length=5000)
    participants: int | None = Field(default=None, ge=0, le=1_000_000)
    link: str = Field(default="", max_length=200)


class LogFilters(Schema):
    plan: str | None = Field(default=None, max_length=80, description="Address name of one plan")
    activity: str | None = Field(default=None, max_length=80)
    date_from: dt.date | None = None
    date_to: dt.date | None = None


class ObservationIn(Schema):
    date: dt.date
    district: str = Field(min_length=1, max_length=60, description="Key of the district")
    category: str = Field(max_length=60)
    milieu: str = Field(max_length=60)
    signs: list[str] = Field(default=[], max_length=50)
    source_organisation: str | None = Field(default=None, max_length=60)
    description: str = Field(default="", max_length=2000)
    counts: dict[str, int] = Field(default={}, description="People involved per `n_<gender>_<age band>` field")


class ObservationCreated(Schema):
    id: int
    term: str = Field(description=TERM_KEY)


class AggregateRow(Schema):
    label: str
    cells: list[str]
    total: str


class AggregateTable(Schema):
    key: str
    caption: str
    row_header: str
    columns: list[str]
    rows: list[AggregateRow]
    column_totals: list[str]
    grand_total: str


class AggregateFilters(Schema):
    term: str = Field(default="", pattern=r"^(\d{4}-[12])?$",
                      description="One whole term (2025-1 spring, 2025-2 autumn); the latest by default.")




class MeetingOut(Schema):
    id: int
    group: str
    title: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    place: str
    status: str


class ActionOut(Schema):
    id: int
    meeting: int
    title: str
    owner: str
    due_date: dt.date
    status: str


class TrainingEventOut(Schema):
    id: int
    title: str
    topic: str
    audience: str
    organiser: str
    date: dt.date
    term: str = Field(description=TERM_KEY)


class ContactOut(Schema):
    key: str
    name: str
    organisation: str
    kind: str
    phone: str
    url: str
    opening_hours: str
    description: str
    # Provenance (ADR 0019): a reader of the API judges a number as the public page lets a person judge it.
    national: bool = Field(description="True for an entry of the national list that every municipality inherits")
    last_verified: dt.date | None = Field(description="The day someone last checked the details; null if never")
    verification_method: str = Field(
        description="How they were checked; empty if never",
        json_schema_extra={"enum": [*guidance_selectors.VERIFICATION_METHODS, ""]})
    source: str = Field(description="What they were checked against: the page, the person, the e-mail or the plan")
    source_date: dt.date | None = Field(description="The date of that source itself, if it has one")
    needs_checking: bool = Field(description="True for the municipality's own contact not checked within its "
                                             "chosen age; national entries never carry the warning")
