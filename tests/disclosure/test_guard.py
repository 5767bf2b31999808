"""The personal-data guard against the probe classes issue 15 found open, its own corpus (0 false negatives,
no false positives), and the refusal every service raises (what, where, in Swedish and English, never the
text itself in a log)."""

from __future__ import annotations

import logging
from datetime import date

import pytest
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st
from stdnum import luhn

from tests.disclosure import corpus
from varna.disclosure import guard
from varna.disclosure.personal_data import KINDS, _name_list, find_personal_data, is_clean

EXAMPLES = settings(max_examples=150, deadline=None)
FIRST_NAMES = sorted(name.capitalize() for name in _name_list("first_names.txt") if name.isalpha()
                     and name not in {"max", "per"})


def kinds(text: str) -> set[str]:
    return {finding.kind for finding in find_personal_data(text)}


# --- the corpus -------------------------------------------------------------------------------------------


def test_the_corpus_is_large_and_covers_every_kind() -> None:
    personal, clean = corpus.personal(observations=False), corpus.clean(observations=False)
    assert len(personal) >= 124
    assert len(clean) >= 100
    assert {kind for kind, _text in personal} == set(KINDS)
    assert len(set(clean)) == len(clean)


def test_no_text_with_personal_data_in_the_corpus_passes() -> None:
    missed = [(kind, text) for kind, text in corpus.personal() if kind not in kinds(text)]
    assert missed == []


def test_no_clean_text_in_the_corpus_is_refused() -> None:
    refused = {text: [(f.kind, f.excerpt) for f in find_personal_data(text)] for text in corpus.clean()
               if not is_clean(text)}
    assert refused == {}


# --- a first name with context ------------------------------------------------------------------------------

names = st.sampled_from(FIRST_NAMES)


@EXAMPLES
@given(name=names, grade=st.integers(1, 9), letter=st.sampled_from(["A", "B", "C", "a", "b", ""]),
       template=st.sampled_from(["{n} i {g}{l} har hotat en kamrat.", "Oro för {n} i klass {g}.",
                                 "Samtal med {n} i åk {g} om filmerna.", "{n}, 1{g} år, har slutat komma.",
                                 "Vi har träffat {n} (1{g}) och mamman."]))
def test_a_first_name_with_a_class_or_an_age_is_a_name(name: str, grade: int, letter: str, template: str) -> None:
    assert "person_name" in kinds(template.format(n=name, g=grade, l=letter))


@EXAMPLES
@given(name=names, cue=st.sampled_from(["heter", "hette", "kallas", "min son", "hans bror", "hennes syster",
                                        "dottern", "killen", "tjejen", "eleven", "kompisen", "pojken heter",
                                        "med namnet", "kusinen"]))
def test_a_first_name_after_a_word_for_a_person_or_a_naming_word_is_a_name(name: str, cue: str) -> None:
    assert "person_name" in kinds(f"Vi är oroliga, {cue} {name} har börjat sprida propaganda.")


def test_after_a_person_and_heter_any_capitalised_word_is_a_name() -> None:
    assert "person_name" in kinds("Killen heter Zlatan och går i nian.")
    assert "person_name" in kinds("Eleven kallas Viking av de andra.")


@pytest.mark.parametrize("text", [
    "Projektet heter Trygg i Centrum.", "Föreningen heter Unga Örnar.", "Max 15 år gamla får delta.",
    "Per vecka kommer 10 tips.", "Eleverna i 8B har haft temadag.", "Gruppen kallar sig en träningsklubb.",
    "Hans föräldrar var oroliga.", "Skolan heter Västra skolan.", "Vi såg nya klistermärken i 7A-korridoren."])
def test_names_of_projects_groups_and_schools_and_ordinary_words_pass(text: str) -> None:
    assert is_clean(text), find_personal_data(text)


# --- social-media handles --------------------------------------------------------------------------------

handles = st.from_regex(r"[a-z][a-z]{2,8}[._]?[a-z0-9]{1,5}", fullmatch=True).filter(lambda h: any(
    c.isdigit() or c in "._" for c in h))


@EXAMPLES
@given(handle=handles, template=st.sampled_from([
    "Kontot @{h} sprider filmer.", "Följ upp @{h} efter mötet.", "insta: {h} lägger upp bilder.",
    "Han är aktiv på tiktok som {h}.", "Snapchat: {h} har skickat hot.", "Discord-namnet är {h}.",
    "Instagramkontot {h} anmäldes.", "Hans snap heter {h}."]))
def test_account_names_on_social_media_are_refused(handle: str, template: str) -> None:
    assert "social_media_handle" in kinds(template.format(h=handle))


@pytest.mark.parametrize("text", [
    "Ett konto på Instagram sprider bilder.", "Tiktok används för att sprida filmer.", "på facebook 2024",
    "Instagram: 3 konton anmälda under oktober.", "Insta: kontot togs bort.", "Telegram, Discord och spelchattar."])
def test_naming_a_platform_passes(text: str) -> None:
    assert is_clean(text), find_personal_data(text)


# --- foreign phone numbers ---------------------------------------------------------------------------------


@EXAMPLES
@given(country=st.sampled_from(["358", "47", "45", "44", "49", "48", "1", "372", "964"]),
       prefix=st.sampled_from(["+", "00", "+ "]),
       groups=st.lists(st.integers(10, 999), min_size=3, max_size=4),
       separator=st.sampled_from([" ", "-", "."]))
def test_phone_numbers_abroad_are_refused(country: str, prefix: str, groups: list[int], separator: str) -> None:
    number = prefix + country + " " + separator.join(str(group) for group in groups)
    assert sum(c.isdigit() for c in number) - len(country) >= 6
    assert "phone_number" in kinds(f"Mamman nås på {number} under sommaren.")


@pytest.mark.parametrize("text", ["Klockan 00.30 var det lugnt.", "+ 15 deltagare från föreningarna.",
                                  "Stödlinjen nås på 020-100 100.", "Ring 112 eller 114 14."])
def test_times_counts_and_service_numbers_are_not_phone_numbers(text: str) -> None:
    assert is_clean(text), find_personal_data(text)


# --- lower-case street names --------------------------------------------------------------------------------


@EXAMPLES
@given(stem=st.sampled_from(["stor", "kungs", "björk", "lind", "ek", "skol", "kyrk", "ring", "tall", "sjö"]),
       ending=st.sampled_from(["gatan", "vägen", "gränd", "backen", "stigen", "torget", "allé"]),
       number=st.integers(1, 150), letter=st.sampled_from(["", "a", "B", " b"]))
def test_lower_case_street_names_with_a_number_are_refused(stem: str, ending: str, number: int,
                                                           letter: str) -> None:
    assert "street_address" in kinds(f"Eleven bor på {stem}{ending} {number}{letter} med sin mamma.")


@pytest.mark.parametrize("text", ["Längs väg 267 i norr.", "Längs gångvägen 2 km söderut.",
                                  "Klistermärken på storgatan 3 gånger i veckan.", "hela vägen 3 km"])
def test_road_numbers_and_counts_after_a_street_are_not_addresses(text: str) -> None:
    assert is_clean(text), find_personal_data(text)


# --- interim numbers, wrong check digits, dates of birth ---------------------------------------------------

births = st.dates(min_value=date(1930, 1, 1), max_value=date(2025, 12, 31))


@EXAMPLES
@given(born=births, serial=st.from_regex(r"(?:[A-Z][0-9]{3}|[A-Z]{2}[0-9]{2}|[0-9][A-Z][0-9]{2})", fullmatch=True),
       century=st.booleans(), coordination=st.booleans(), separator=st.sampled_from(["-", " ", ""]))
def test_interim_numbers_with_a_letter_in_the_serial_part_are_refused(
        born: date, serial: str, century: bool, coordination: bool, separator: str) -> None:
    day = born.day + (60 if coordination else 0)
    written = (f"{born.year}"[:2] if century else "") + f"{born:%y%m}{day:02d}" + separator + serial
    assert "interim_number" in kinds(f"Numret {written} stod i ansökan.")


def _wrong_check_digit(born: date, serial: int) -> str:
    nine = f"{born:%y%m%d}{serial:03d}"
    right = int(luhn.calc_check_digit(nine))
    return nine + str((right + 1) % 10)


@EXAMPLES
@given(born=births, serial=st.integers(0, 999),
       form=st.sampled_from(["{d}-{s}", "{c}{d}-{s}", "{d} {s}", "{c}{d} {s}", "pnr {d}{s}", "personnummer: {c}{d}{s}",
                             "född {d}{s}", "samordningsnr {d}-{s}"]))
def test_an_identity_number_with_a_wrong_check_digit_is_still_refused(born: date, serial: int, form: str) -> None:
    ten = _wrong_check_digit(born, serial)
    assert not luhn.is_valid(ten)
    text = form.format(d=ten[:6], s=ten[6:], c=f"{born.year}"[:2])
    assert kinds(f"Uppgift: {text}, enligt skolan.") & {"personal_identity_number", "date_of_birth"}


MONTHS = ["januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september", "oktober",
          "november", "december"]


@EXAMPLES
@given(born=births, form=st.sampled_from([
    "född {iso}", "f. {d}/{m} {y}", "född den {d} {month} {y}", "född {d} {month} {y}", "födelsedatum: {yymmdd}",
    "född {d}.{m}.{y}", "fdat {yyyymmdd}", "född {d}:e {month} {y}", "f. {iso}", "DOB {iso}"]))
def test_dates_of_birth_in_every_common_form_are_refused(born: date, form: str) -> None:
    text = form.format(iso=born.isoformat(), d=born.day, m=born.month, y=born.year, month=MONTHS[born.month - 1],
                       yymmdd=f"{born:%y%m%d}", yyyymmdd=f"{born:%Y%m%d}")
    assert "date_of_birth" in kinds(f"Eleven är {text} och går i nian.")


@pytest.mark.parametrize("text", [
    "Den 3 maj hålls en föreläsning.", "Föreläsningen den 12 maj 2025 är fullbokad.", "Uppföljning 2025-03-14.",
    "Under 2024 genomfördes 18 utbildningar.", "Född 2009 eller senare får delta.", "Stängt under juli.",
    "Referens 8501011237 i ärendesystemet.", "Tidsstämpel 202503141530 i loggen."])
def test_dates_months_and_references_without_a_birth_pass(text: str) -> None:
    assert is_clean(text), find_personal_data(text)


# --- the refusal --------------------------------------------------------------------------------------------


def test_a_refusal_names_the_kind_and_the_field_in_swedish_and_english() -> None:
    text = "Ring 070-123 45 67, fråga efter Anna Svensson."
    for language, words in [("sv", ["Ett telefonnummer hittades i ”protokoll”", "Ett namn hittades"]),
                            ("en", ["A phone number was found in “minutes”", "A name was found"])]:
        with translation.override(language), pytest.raises(guard.PersonalDataError) as refused:
            guard.check(text, field="minutes", label="protokoll" if language == "sv" else "minutes")
        assert refused.value.field == "minutes"
        assert refused.value.kinds == {"minutes": ("phone_number", "person_name")}
        assert all(word in " ".join(refused.value.messages) for word in words)
        assert "070" not in str(refused.value)
        assert "Svensson" not in str(refused.value)


def test_every_kind_has_a_message_in_both_languages() -> None:
    translated = {}
    for language in ("sv", "en"):
        with translation.override(language):
            translated[language] = [guard._message(kind, "x") for kind in KINDS]
        assert len(set(translated[language])) == len(KINDS)
        assert all("“x”" in message or "”x”" in message for message in translated[language])
    assert all(sv != en for sv, en in zip(translated["sv"], translated["en"], strict=True))


def test_check_fields_reports_every_refused_field_and_passes_clean_ones() -> None:
    with pytest.raises(guard.PersonalDataError) as refused:
        guard.check_fields({"title": "Möte om läget", "minutes": "Anna Svensson redogjorde.",
                            "decision": "Ring +358 40 123 4567."}, {"title": "t", "minutes": "m", "decision": "d"})
    assert set(refused.value.errors) == {"minutes", "decision"}
    guard.check_fields({"title": "Möte om läget i Centrum"}, {"title": "t"})


def test_the_logged_record_holds_the_field_and_kind_never_the_text(caplog: pytest.LogCaptureFixture) -> None:
    secret = "Kalle i 8B, ring 070-123 45 67 eller kalle@example.se"
    with caplog.at_level(logging.DEBUG), pytest.raises(guard.PersonalDataError):
        guard.check(secret, field="notes", label="notes")
    assert caplog.records, "a refusal is logged"
    logged = " ".join(record.getMessage() + repr(record.__dict__) for record in caplog.records)
    assert "notes" in logged
    assert "phone_number" in logged
    for part in ["Kalle", "8B", "070", "123 45 67", "example.se"]:
        assert part not in logged
