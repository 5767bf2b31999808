"""Personal-data detection for every free text outside cases.

Free text that many roles read (observations, survey answers, the activity log, meeting minutes and
decisions, actions, monitoring notes, training notes, plan comments) must hold no personal data, so
services pass it through :func:`find_personal_data` (via :mod:`varna.disclosure.guard`) before anything
is saved. The guard is deliberately pure Python with no Django import: forms, the CSV/XLSX import and the
API all call the same function, and the hypothesis tests can hammer it without a database.

What it finds (``Finding.kind``), the message id ``explain`` returns for the UI to translate, and an
example:

* ``personal_identity_number`` - ``pii.personal_identity_number`` - ``850101-1236``, ``19850101 1236``
* ``coordination_number`` - ``pii.coordination_number`` - ``850161-1233`` (day of birth + 60)
* ``phone_number`` - ``pii.phone_number`` - ``070-123 45 67``, ``+46 8 123 456 78``
* ``email`` - ``pii.email`` - ``namn@example.se``, ``namn (at) example.se``
* ``street_address`` - ``pii.street_address`` - ``Storgatan 12``, ``Tureberg allé 3B``
* ``person_name`` - ``pii.person_name`` - ``Anna Svensson``, ``Per-Olof Lindgren``

Choices, and why:

* **Identity and coordination numbers.** A candidate is YYMMDD or YYYYMMDD (a space is allowed after
  the century: ``19 850101-1234``) then the four last digits, joined by nothing, ``-``, ``+``, an en
  dash or a space. The date must be a real calendar date (for a coordination number after subtracting
  60 from the day). It is reported when the Luhn check digit is right, **or** when it is written in the
  separator form ``YYMMDD-NNNN`` / ``YYMMDD NNNN`` (``-``, ``+`` or a space) even with a wrong check
  digit: people mistype numbers, and that form is unambiguous enough that a typo must not let a number
  through. Bare digits with a wrong check digit are reported only after a word that names them
  ("pnr", "personnummer", "född", ...), because ten or twelve bare digits with a plausible date are too
  often something else (case references, timestamps) and a false alarm trains users to fight the guard. ``YYMMDD-XXXX`` with masked last digits
  is reported too: a birth date tied to "the person" is still identifying. python-stdnum's Luhn
  implementation does the checksum; its ``se.personnummer`` module can't validate coordination numbers
  (it rejects day 61-91), so dates are checked here, and the tests use ``stdnum.se.personnummer`` as an
  independent oracle for the generated numbers.
* **Phone numbers** are Swedish numbers starting with ``0`` or ``+46``/``0046`` with 8-10 digits in all
  (7-9 after the country code), in the usual groupings. Non-geographic service numbers (020, 0200, 077x,
  0900, 0939, 0944) belong to organisations, not people, and are let through, as are short numbers
  (112, 114 14, 1177) that don't start with 0. Dates (``01-03-2025``, ``2025-03-01``) and times don't
  match because hyphens and slashes are only accepted right after the area code.
* **Street addresses** are a street name with a common Swedish ending (``-gatan``, ``-vägen``, ``-gränd``,
  ``-backe``, ``-torget``, ``-plan``, ``-stigen``, ``-allé``, ``-leden``, ...), or a capitalised name
  followed by a separate street word (``Tureberg allé``, ``Sollentuna torg``, ``Drottning Kristinas
  väg``), then a house number of 1-3 digits with an optional letter. A number that is clearly a count or
  a time (``Sollentunavägen 3 personer``, ``Sollentuna torg 14.30``) is not a house number, and planning
  documents that end in ``-plan`` (``Handlingsplan 2``, ``Läroplan``) are not streets.
* **Person names** are only reported as a *pair*: a first name from ``data/first_names.txt`` directly
  followed by a capitalised word that is in ``data/surnames.txt`` or has a typical surname ending
  (``-son``, ``-berg``, ``-lund``, ``-ström``, ``-qvist``/``-kvist``, ``-gren``, ``-holm``, ...). A lone
  first-name-like word is never a finding: "Per vecka", "Hans föräldrar", "Max 10 personer" and the
  first word of any sentence are capitalised ordinary words. Place names with a surname-like ending
  (Tureberg, Edsberg, Helenelund, Stockholm, ...) are not taken as surnames; a surname that is also in
  the surname list (Sjöberg, Lund) still is, because "Anna Sjöberg" is far more likely a person than a
  district. Lower-case names ("anna svensson") and names outside the lists are not detected: the guard
  catches the common case and the form text asks people not to write names at all.
* Also caught since issue 15: ``lisa @ example.se`` (spaces round the "@"), ``073-555-12-34`` (hyphens
  between groups of two or three digits; a group of four, as in ``01-03-2025``, is a date), a name split
  by a line break or a few spaces, and a surname first (``Holmberg, Lisa``).
* Since issue 15 also (kind, example): ``interim_number`` (a birth date and four characters of which one
  or two are letters: ``850101-T123``, ``19850101-TF12``); ``date_of_birth`` (a date after "född",
  "f.", "födelsedatum", "DOB": ``född 2009-05-12``, ``f. 12/5 2009``, ``född den 3 maj 2010``; a year alone
  is not a date of birth); ``social_media_handle`` (``@kalle_08``, or an account name after a platform:
  ``insta: kalle08``, ``på tiktok som kalle.nsm``; without ":"/"heter" only a name with a digit, "_" or
  "." counts, so "på tiktok sprider de" passes); foreign phone numbers (``+358 40 123 4567``, ``0047 912
  34 567``, as ``phone_number``); lower-case compound street names (``storgatan 12``; "väg 267" is a
  road); and a **first name with context** (``person_name``): after a word for a person or a naming word
  ("min son Oskar", "heter Ahmed", "killen Liam"; after "killen heter" any capitalised word), or
  followed by a class or an age ("Kalle i 8B", "Sara, 15 år", "Elias (14)"). Names of projects, groups
  and schools ("Projektet heter Trygg i Centrum", "Föreningen heter Unga Örnar") pass, because only a
  listed first name, or a capitalised word after a word for a person, is taken for a name.
* E-mail addresses are reported whoever they belong to (also ``info@...``): a description has no need
  for one, and telling a personal address from a functional one is guesswork.

``Finding.excerpt`` holds the matched personal data itself so the form can show what to remove. It must
never be logged, stored or sent anywhere; only the kind and message id may be.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources

from stdnum import luhn

__all__ = [
    "COORDINATION_NUMBER",
    "DATE_OF_BIRTH",
    "EMAIL",
    "INTERIM_NUMBER",
    "KINDS",
    "PERSONAL_IDENTITY_NUMBER",
    "PERSON_NAME",
    "PHONE_NUMBER",
    "SOCIAL_MEDIA_HANDLE",
    "STREET_ADDRESS",
    "MESSAGE_IDS",
    "Finding",
    "explain",
    "find_personal_data",
    "is_clean",
]

PERSONAL_IDENTITY_NUMBER = "personal_identity_number"
COORDINATION_NUMBER = "coordination_number"
PHONE_NUMBER = "phone_number"
EMAIL = "email"
STREET_ADDRESS = "street_address"
PERSON_NAME = "person_name"
INTERIM_NUMBER = "interim_number"
DATE_OF_BIRTH = "date_of_birth"
SOCIAL_MEDIA_HANDLE = "social_media_handle"

# Order matters: when two findings overlap, the one earlier in this tuple is kept, so a ten-digit
# identity number is reported as that and not also as a phone number.
KINDS: tuple[str, ...] = (
    PERSONAL_IDENTITY_NUMBER,
    COORDINATION_NUMBER,
    INTERIM_NUMBER,
    DATE_OF_BIRTH,
    EMAIL,
    PHONE_NUMBER,
    STREET_ADDRESS,
    SOCIAL_MEDIA_HANDLE,
    PERSON_NAME,
)
MESSAGE_IDS: dict[str, str] = {kind: f"pii.{kind}" for kind in KINDS}
_PRIORITY = {kind: rank for rank, kind in enumerate(KINDS)}


@dataclass(frozen=True, slots=True)
class Finding:
    """One piece of personal data found in a text.

    ``start``/``end`` index the text passed to :func:`find_personal_data` (``text[start:end] ==
    excerpt``). ``excerpt`` is personal data: show it back to the person typing, never log it.
    """

    kind: str
    start: int
    end: int
    excerpt: str


def _words(text: str) -> frozenset[str]:
    # Word lists are kept as running text: easier to read and extend than one quoted string per word.
    return frozenset(text.split())


# --- identity and coordination numbers --------------------------------------------------------------

# Spaces include the no-break space that word processors insert; dashes include the en dash and minus
# sign that autocorrect turns a hyphen into.
_SPACE = "[ \u00a0]"
_DASH = "[-+\u2010-\u2015\u2212]"
_ID_SEPARATOR = rf"(?:{_SPACE}?{_DASH}{_SPACE}?|{_SPACE})?"

# Zero-width lookahead patterns, so candidates may overlap: "20 850101-1234" must still yield the
# ten-digit candidate when the twelve-digit reading starting at "20" is rejected.
_ID12 = re.compile(
    rf"(?<![0-9])(?=((18|19|20){_SPACE}?([0-9]{{2}})([0-9]{{2}})([0-9]{{2}})({_ID_SEPARATOR})([0-9]{{4}}))(?![0-9]))"
)
_ID10 = re.compile(
    rf"(?<![0-9])(?=(([0-9]{{2}})([0-9]{{2}})([0-9]{{2}})({_ID_SEPARATOR})([0-9]{{4}}))(?![0-9]))"
)
_ID_MASKED = re.compile(
    rf"(?<![0-9])((?:(?:18|19|20){_SPACE}?)?([0-9]{{2}})([0-9]{{2}})([0-9]{{2}}){_SPACE}?{_DASH}{_SPACE}?"
    r"[Xx*]{4})(?![\w*])"
)


def _is_date(years: tuple[int, ...], month: int, day: int) -> bool:
    for year in years:
        try:
            date(year, month, day)
        except ValueError:
            continue
        return True
    return False


def _classify_identity(years: tuple[int, ...], month: int, day: int) -> str | None:
    """Return the kind for a date part, or None when it isn't a (coordination) birth date."""
    kind = PERSONAL_IDENTITY_NUMBER
    if day > 60:
        kind, day = COORDINATION_NUMBER, day - 60
    return kind if _is_date(years, month, day) else None


def _find_identity_numbers(text: str) -> list[Finding]:
    found: list[Finding] = []
    for match in _ID12.finditer(text):
        whole, century, yy, mm, dd, separator, last4 = match.groups()
        kind = _classify_identity((int(century + yy),), int(mm), int(dd))
        if kind and (luhn.is_valid(yy + mm + dd + last4) or separator or _has_cue(text, match.start(1))):
            found.append(Finding(kind, match.start(1), match.end(1), whole))
    for match in _ID10.finditer(text):
        whole, yy, mm, dd, separator, last4 = match.groups()
        # Ten digits carry no century: accept the date if it exists in either century (29 February).
        kind = _classify_identity((1900 + int(yy), 2000 + int(yy)), int(mm), int(dd))
        if kind and (luhn.is_valid(yy + mm + dd + last4) or separator or _has_cue(text, match.start(1))):
            found.append(Finding(kind, match.start(1), match.end(1), whole))
    for match in _ID_MASKED.finditer(text):
        whole, yy, mm, dd = match.groups()
        kind = _classify_identity((1900 + int(yy), 2000 + int(yy)), int(mm), int(dd))
        if kind:
            found.append(Finding(kind, match.start(1), match.end(1), whole))
    return found


# Spelt out: in Python's regex engine six single sets match faster than "[0-9]{6}".
_SIX_DIGITS = re.compile("[0-9]" * 6)

# A word just before a number that says it is an identity number or a birth date: then bare digits with a
# wrong check digit are refused too (a mistyped number still points at a person).
_ID_CUE = re.compile(
    r"(?:person|pers\.?|p-?|samordnings|reserv|identitets|id-?|födelse)(?:nummer|numret|nr|nr\.)[\s:.=-]{0,3}$"
    r"|(?:född|f\.|född den|fd\.?)[\s:.]{0,3}$",
    re.IGNORECASE,
)


def _has_cue(text: str, start: int) -> bool:
    return bool(_ID_CUE.search(text[max(0, start - 24):start]))


# Interim numbers (reservnummer, tillfälliga personnummer) and the interim numbers Skatteverket plans: a
# birth date and four characters of which one or two are letters ("850101-T123", "19850101-TF12").
_INTERIM = re.compile(
    rf"(?<![\w-])((?:(?:18|19|20){_SPACE}?)?([0-9]{{2}})([0-9]{{2}})([0-9]{{2}}){_ID_SEPARATOR}"
    r"(?=[0-9]*[A-Za-z][0-9]*(?:[A-Za-z][0-9]*)?(?![\w]))(?=(?:[A-Za-z]*[0-9]){2})(?![Xx*]{4})[0-9A-Za-z]{4})(?!\w)"
)


def _find_interim_numbers(text: str) -> list[Finding]:
    found: list[Finding] = []
    for match in _INTERIM.finditer(text):
        whole, yy, mm, dd = match.groups()
        if _classify_identity((1900 + int(yy), 2000 + int(yy)), int(mm), int(dd)):
            found.append(Finding(INTERIM_NUMBER, match.start(1), match.end(1), whole))
    return found


# --- dates of birth ----------------------------------------------------------------------------------

_MONTHS = (
    "januari|februari|mars|april|maj|juni|juli|augusti|september|oktober|november|december"
    "|jan|feb|mar|apr|jun|jul|aug|sep|sept|okt|nov|dec"
)
# "född 2009-05-12", "f. 12/5 2009", "född den 3 maj 2010", "födelsedatum 090512", "fdat: 12.05.09".
_BIRTH_DATE = re.compile(
    r"(?<!\w)(?:född(?:[ \u00a0]+den)?|f\.|fd\.?|fdat|födelsedatum(?:et)?|födelsedag|född[ \u00a0]+år|date of birth"
    r"|dob|born(?:[ \u00a0]+on)?)[\s:.=]{0,3}"
    r"(?P<date>(?:19|20)[0-9]{2}[-/.][0-9]{1,2}[-/.][0-9]{1,2}"
    r"|[0-9]{1,2}[-/.][0-9]{1,2}(?:[-/.][ \u00a0]?|[ \u00a0])(?:19|20)?[0-9]{2}"
    rf"|[0-9]{{1,2}}(?::e|:a)?[ \u00a0]+(?:{_MONTHS})\.?(?:[ \u00a0]+(?:19|20)?[0-9]{{2}})?"
    r"|(?:19|20)?[0-9]{6})(?![0-9])",
    re.IGNORECASE,
)


def _find_birth_dates(text: str) -> list[Finding]:
    return [Finding(DATE_OF_BIRTH, match.start(), match.end(), match.group()) for match in _BIRTH_DATE.finditer(text)]


# --- phone numbers -----------------------------------------------------------------------------------

_PHONE = re.compile(
    r"""
    (?=[+(0])                                  # first: lets the search skip straight to a "+", "(" or "0"
    (?<![\w+])(?<![0-9][-/.:])                 # not glued to a word or number: "2015-01-01 2015"
    (?P<prefix>(?:\+|00)[ \u00a0]?46[ \u00a0-]*(?:\(0\)[ \u00a0-]*)?|\(?0)
    (?P<area>[1-9][0-9]{0,2})
    (?:[ \u00a0]?[-\u2010-\u2015][ \u00a0]?|\)?[ \u00a0])?  # only after the area code: "-", " ", "(08) "
    (?P<subscriber>[0-9]{1,8}(?:[ \u00a0-][0-9]{1,4}){0,4})
    (?![\w])
    """,
    re.VERBOSE,
)
_DIGIT_RUN = re.compile(r"[0-9]+")
_GROUP_SEPARATOR = re.compile(r"[ \u00a0-]")
# Non-geographic numbers used by organisations (freephone, shared cost, premium rate).
_SERVICE_PREFIXES = ("20", "77", "900", "939", "944")


def _find_phone_numbers(text: str) -> list[Finding]:
    found: list[Finding] = []
    for match in _PHONE.finditer(text):
        area = match["area"]
        if area.startswith(_SERVICE_PREFIXES):
            continue
        national = "46" not in match["prefix"]
        # Number of digits after the trunk "0" / country code: 7-9 for every Swedish number.
        subscriber = match["subscriber"]
        groups = _GROUP_SEPARATOR.split(subscriber)
        if "-" in subscriber and any(len(group) not in (2, 3) for group in groups):
            # "073-555-12-34" is a number; "01-03-2025" is a date (a year is a group of four).
            continue
        while groups and len(area) + sum(map(len, groups)) > 9:
            # "070-123 45 67 2 gånger": a trailing count glued on by a space isn't part of the number.
            groups.pop()
        digits = len(area) + sum(map(len, groups))
        if not groups or not 7 <= digits <= 9:
            continue
        if national and len(groups) > 1 and any(len(group) < 2 for group in groups):
            continue
        end = match.start("subscriber") + _span_of_groups(match["subscriber"], len(groups))
        found.append(Finding(PHONE_NUMBER, match.start(), end, text[match.start() : end]))
    return found


def _span_of_groups(subscriber: str, count: int) -> int:
    """Length of the first ``count`` space-separated digit groups of ``subscriber``."""
    position = 0
    for index, group in enumerate(_DIGIT_RUN.finditer(subscriber)):
        position = group.end()
        if index + 1 == count:
            break
    return position


# Numbers abroad: "+358 40 123 4567", "0047 912 34 567", "+44 (0)20 7946 0958". A country code other than
# Sweden's, then 6-13 digits in groups. Swedish numbers (+46/0046) are read by the pattern above.
_FOREIGN_PHONE = re.compile(
    r"(?<![\w+])(?<![0-9][-/.:])(?:\+|00)[ \u00a0]?(?!46)[1-9][0-9]{0,2}"
    r"(?P<rest>(?:[ \u00a0.-]?(?:\(0\))?[ \u00a0.-]?[0-9]{1,5}){1,6})(?![\w])"
)


def _find_foreign_phone_numbers(text: str) -> list[Finding]:
    found: list[Finding] = []
    for match in _FOREIGN_PHONE.finditer(text):
        digits = sum(char.isdigit() for char in match["rest"])
        if 6 <= digits <= 13:
            found.append(Finding(PHONE_NUMBER, match.start(), match.end(), match.group()))
    return found


# --- social-media handles ----------------------------------------------------------------------------

# "@kalle_08" (not part of an e-mail address: those are read first), or a platform followed by an account
# name: "insta: kalle08", "på tiktok som kalle.nsm", "snapchatten heter kalle", "tiktok-kontot nordic_88".
_AT_HANDLE = re.compile(r"(?<![\w@.+-])@[ \u00a0]?(?=[\w.]*[^\W\d_])[\w][\w.]{1,29}(?<!\.)(?![\w@])")
_PLATFORM = (
    r"(?:instagram|insta|ig|tiktok|tik[ -]tok|snapchat|snap|telegram|discord|twitter|youtube|kik|facebook|fb"
    r"|reddit|twitch|threads|signal|whatsapp|steam|roblox)"
)
_PLATFORM_HANDLE = re.compile(
    rf"(?<!\w){_PLATFORM}(?:-?(?:kontot|konto|namnet|namn|profilen|profil|kanalen|kanal|gruppen|n|en|et|ten))?"
    r"(?:[ \u00a0]*[:=][ \u00a0]*|[ \u00a0]+(?:(?:som[ \u00a0]+)?(?:heter|kallas|kallar sig)|med namnet"
    r"|användarnamn(?:et)?|som|under|är|konto(?:t)?|namn(?:et)?)?[ \u00a0]*)"
    r"(?P<handle>@?[\w][\w.]{1,29})(?<!\.)(?![\w@])",
    re.IGNORECASE,
)
_STRONG_HANDLE_CUE = re.compile(r"[:=]|heter|kallas|kallar sig|med namnet|användarnamn", re.IGNORECASE)


def _find_social_media_handles(text: str) -> list[Finding]:
    found = [Finding(SOCIAL_MEDIA_HANDLE, m.start(), m.end(), m.group()) for m in _AT_HANDLE.finditer(text)]
    for match in _PLATFORM_HANDLE.finditer(text):
        handle = match["handle"]
        cue = text[match.start():match.start("handle")]
        # Without an explicit cue only something shaped like an account name counts ("kalle_08", "nsm.88"),
        # not the next ordinary word ("på tiktok sprider de ...").
        shaped = handle.startswith("@") or (any(char.isdigit() or char in "_." for char in handle)
                                            and any(char.isalpha() for char in handle))
        if shaped or (_STRONG_HANDLE_CUE.search(cue) and handle.lower() not in _NOT_HANDLES):
            found.append(Finding(SOCIAL_MEDIA_HANDLE, match.start(), match.end(), match.group()))
    return found


# Ordinary words that follow "instagram:" and the like in running text, not account names.
_NOT_HANDLES = _words(
    """
    och att som det den de en ett är var har inte med om på till för se kontot konton kontona
    flera inga nya många några alla kanalen kanaler gruppen grupper inlägg bilder filmer videor klipp
    sidan sidor profilen profiler anmält anmälda borttaget borttagna samma
    """
)


# --- e-mail ------------------------------------------------------------------------------------------

_EMAIL = re.compile(
    # A space before the "@" only with one after it: "lisa @ example.se" is an address, "kontot @kalle.nsm" a handle.
    r"(?<![\w.+-])[\w.+-]+(?:[ \u00a0]?@[ \u00a0]|@|[ \u00a0]?[(\[{]at[)\]}][ \u00a0]?)[\w-]+(?:\.[\w-]+)*"
    r"\.[^\W\d_]{2,}(?!\w)"
)


_BRACKETED_AT = re.compile(r"[(\[{]at[)\]}]")


def _find_emails(text: str) -> list[Finding]:
    return [Finding(EMAIL, match.start(), match.end(), match.group()) for match in _EMAIL.finditer(text)]


# --- street addresses --------------------------------------------------------------------------------

_STREET_ENDINGS = (
    "gatan|gata|vägen|väg|gränd|gränden|backe|backen|torget|torg|plan|stigen|allé|allén|alle|leden"
    "|gången|platsen|slingan|ringen|kroken|bryggan|kajen|promenaden|stråket|höjden|liden|parken|kullen"
)
_STREET_WORDS = "allé|alle|väg|gata|gränd|torg|backe|stig|led|plats|park|strand"
_UPPER = "A-ZÅÄÖÉÜ"
_LOWER = "a-zåäöéüø"
_HOUSE_NUMBER = r"(?P<number>[0-9]{1,3}(?:[ \u00a0]?[A-Ha-h](?![\w]))?)(?![0-9])"
# Both begin with the capital letter and then look back for the start of the word ("(?<!\w.)" is "\b"
# before it): a pattern that begins with a set of letters lets the search skip to the next capital.
_STREET_COMPOUND = re.compile(
    rf"(?P<street>[{_UPPER}](?<!\w.)[{_LOWER}]+(?:{_STREET_ENDINGS}))[ \u00a0]+{_HOUSE_NUMBER}"
)
_STREET_TWO_WORDS = re.compile(
    rf"(?P<street>[{_UPPER}](?<!\w.)[{_LOWER}]+[ \u00a0]+(?:[{_UPPER}][{_LOWER}]+[ \u00a0]+){{0,2}}"
    rf"(?:{_STREET_WORDS}))[ \u00a0]+{_HOUSE_NUMBER}"
)
# Words that follow a count, not a house number: "vid Rotebro torg 3 personer".
_COUNT_WORDS = _words(
    """
    st st. stycken styck pers personer person individer ungdomar unga elever barn vuxna killar
    tjejer pojkar flickor män kvinnor deltagare gånger ggr gång tillfällen tillfälle dagar dag
    veckor vecka månader timmar timme tim min minuter sekunder år klistermärken affischer lappar
    flygblad meter m km procent % kl kl. ca cirka olika nya fall anmälningar händelser grupper tal
    """
)
# Compound words ending in "-plan" etc. that are documents or ordinary nouns, not streets.
_NOT_STREETS = _words(
    """
    läroplan kursplan handlingsplan åtgärdsplan verksamhetsplan studieplan detaljplan
    likabehandlingsplan elevhälsoplan krisplan beredskapsplan arbetsplan utbildningsplan ämnesplan
    samverkansplan aktivitetsplan insatsplan genomförandeplan planen översiktsplan vårdplan
    genomförandeplanen idrottsplan fotbollsplan fotbollsplanen idrottsplatsen arbetsplatsen
    mötesplatsen skolgården mötesplats arbetsplats fritidsgården gången första andra tredje
    """
)


# Typed without the capital: "bor på storgatan 12", "kungsvägen 5b". Only compound street names (a street
# ending glued to a word), so "väg 267" (a road number) and "hela vägen 3 km" stay clean.
_LOWER_STREET_ENDINGS = (
    "gatan|vägen|gränd|gränden|backe|backen|torget|stigen|allé|allén|alle|leden|gången|platsen|slingan"
    "|ringen|kroken|promenaden|stråket"
)
_STREET_LOWER = re.compile(
    rf"(?P<street>(?<![\w])[{_LOWER}]{{2,}}(?:{_LOWER_STREET_ENDINGS}))[ \u00a0]+{_HOUSE_NUMBER}"
)

# Capitalised words that start a sentence before a road ("Längs väg 267", "Vid led 3"), not street names.
_NOT_STREET_NAMES = _words("längs vid på mot från till utmed över nära efter förbi runt genom under i ny nya gamla")

_TIME_OR_DECIMAL = re.compile(r"[.:,][0-9]")  # "14.30", "3,5" right after the number
_NEXT_WORD = re.compile(r"\s*([^\s,.;:]+[.]?)")


def _find_street_addresses(text: str) -> list[Finding]:
    found: list[Finding] = []
    for pattern in (_STREET_COMPOUND, _STREET_TWO_WORDS, _STREET_LOWER):
        for match in pattern.finditer(text):
            if match["street"].split()[-1].lower() in _NOT_STREETS:
                continue
            if pattern is _STREET_TWO_WORDS and match["street"].split()[0].lower() in _NOT_STREET_NAMES:
                continue  # "Längs väg 267": a road number at the start of a sentence
            if _TIME_OR_DECIMAL.match(text, match.end()):
                continue
            following = _NEXT_WORD.match(text, match.end())
            if following and {following[1].lower(), following[1].lower().rstrip(".")} & _COUNT_WORDS:
                continue
            found.append(Finding(STREET_ADDRESS, match.start(), match.end(), match.group(0)))
    return found


# --- person names ------------------------------------------------------------------------------------

_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")
# One or a few spaces, or a line break: a name split over two lines of a form is still a name.
_BETWEEN_NAMES = re.compile(r"[ \t\u00a0]{1,3}|[ \t\u00a0]*\r?\n[ \t\u00a0]*")
# "Holmberg, Lisa": a surname, a comma and a first name, as in a list of people.
_SURNAME_FIRST = re.compile(r",[ \u00a0]{1,2}")
# Typical endings of Swedish surnames (and the common Balkan -ović/-ević), for names not in the list.
_SURNAME_ENDINGS = _words(
    "son berg bergh ström lund qvist kvist quist gren holm dahl stedt blad bäck löf ović ovic ević evic"
)
# Place names (Sollentuna's districts and well-known places elsewhere) and ordinary words that end like
# a surname. They only stop the *ending* rule; a word in the surname list is always a surname.
_NOT_SURNAMES = _words(
    """
    tureberg edsberg helenelund sofielund hagalund stockholm djursholm sollentunaholm vaxholm
    kungsholm flemingsberg jakobsberg sundbyberg blackeberg vårberg varberg falkenberg hallsberg
    lindesberg kopparberg åtvidaberg skinnskatteberg katrineholm hässleholm ängelholm laholm
    tidaholm borgholm boxholm bjurholm ljusnarsberg nyköping person säsong ekeberg kallhäll solberg
    storberg rösjöholm viksjöholm
    """
)


@cache
def _name_list(filename: str) -> frozenset[str]:
    text = resources.files(__package__).joinpath("data", filename).read_text(encoding="utf-8")
    return frozenset(
        unicodedata.normalize("NFC", line.strip()).lower()
        for line in text.splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    )


def _is_capitalised(word: str) -> bool:
    # "Anna", "ANNA", "Anna-Karin", "Per-Olof"; not "anna" or "aNNA".
    return word[0].isupper() and (word.isupper() or all(part[1:].islower() for part in _parts(word)))


_NAME_JOINERS = re.compile(r"[-'’]")


def _parts(word: str) -> list[str]:
    return [part for part in _NAME_JOINERS.split(word) if part]


def _is_first_name(word: str) -> bool:
    first_names = _name_list("first_names.txt")
    return _is_capitalised(word) and all(part.lower() in first_names for part in _parts(word))


def _is_surname(word: str) -> bool:
    if not _is_capitalised(word):
        return False
    surnames = _name_list("surnames.txt")
    for part in _parts(word):
        lowered = part.lower()
        # Genitive: "Anna Svenssons pappa".
        candidates = (lowered, lowered[:-1]) if lowered.endswith("s") and len(lowered) > 3 else (lowered,)
        for candidate in candidates:
            if candidate in surnames:
                return True
            if candidate in _NOT_SURNAMES:
                continue
            if any(
                candidate.endswith(ending) and len(candidate) >= len(ending) + 2
                for ending in _SURNAME_ENDINGS
            ):
                return True
    return False


# Capital letters of the Latin scripts (every one below U+0250). A name is two capitalised words with one or
# two spaces between, so a text in these scripts without "capital, non-space characters, spaces, capital"
# holds no name and its words need not be looked at one by one. Text with other letters takes the long way.
_LATIN_CAPITAL = "".join(re.escape(chr(code)) for code in range(0x250) if chr(code).isupper())
_CAPITALISED_PAIR = re.compile(f"[{_LATIN_CAPITAL}][^\\s]*(?:,?\\s{{1,3}}|\\s*\\n\\s*)[{_LATIN_CAPITAL}]")
_NOT_LATIN = re.compile("[^\x00-\u024f]")


def _find_person_names(text: str) -> list[Finding]:
    found: list[Finding] = []
    if not _CAPITALISED_PAIR.search(text) and not _NOT_LATIN.search(text):
        return found
    # Both words of a name are capitalised, so only capitalised words are paired. Two of them that are not
    # neighbours have a word between them, which the check of what lies between already refuses; skipping
    # the lower-case words this way makes the guard several times faster on ordinary text.
    words = [word for word in _WORD.finditer(text) if word.group()[0].isupper()]
    for first, second in zip(words, words[1:], strict=False):
        if _BETWEEN_NAMES.fullmatch(text, first.end(), second.start()):
            is_name = _is_first_name(first.group()) and _is_surname(second.group())
        elif _SURNAME_FIRST.fullmatch(text, first.end(), second.start()):
            is_name = _is_surname(first.group()) and _is_first_name(second.group())
        else:
            continue
        if is_name:
            found.append(
                Finding(PERSON_NAME, first.start(), second.end(), text[first.start() : second.end()])
            )
    return found


# A first name alone is no finding ("Per vecka", "Hans föräldrar"), but one with context is: a word that says
# a person is named ("heter Ahmed", "min son Oskar", "killen Liam") or what follows a pupil ("Kalle i 8B",
# "Sara, 15 år"). The name must be in the first-name list, except right after "heter"/"kallas" following a
# word for a person ("eleven heter Zlatan"), where any capitalised word is a name.
_NAMING_CUE = r"(?:heter|hette|kallas|kallades|kallad|kallar[ \u00a0]+sig|med[ \u00a0]+namnet|vid[ \u00a0]+namn|namnet[ \u00a0]+är|namn:)"
_PERSON_WORD = (
    r"(?:son|sonen|dotter|dottern|bror|brodern|brorsan|lillebror|storebror|syster|systern|syrran|lillasyster"
    r"|storasyster|kusin|kusinen|pojken|pojke|flickan|killen|tjejen|eleven|elev|kompisen|kompis|vännen|kamraten"
    r"|klasskompisen|grannen|pappan|mamman|pappa|mamma|styvpappa|styvmamma|barnet|ungdomen|mannen|kvinnan"
    r"|personen|pojkvännen|flickvännen|sambon|fadern|modern|farbror|morbror|faster|moster|elever|bröderna"
    r"|syskonen|han|hon)"
)
_NAME_AFTER_CUE = re.compile(
    rf"(?<!\w)(?P<cue>(?:{_PERSON_WORD}[ \u00a0]+)?{_NAMING_CUE}|{_PERSON_WORD}),?[ \u00a0]+(?P<name>[^\W\d_]+(?:-[^\W\d_]+)?)",
    re.IGNORECASE,
)
_PERSON_BEFORE_CUE = re.compile(rf"^{_PERSON_WORD}[ \u00a0]", re.IGNORECASE)
_IS_NAMING_CUE = re.compile(_NAMING_CUE, re.IGNORECASE)
# "Kalle i 8B", "Sara i 7a", "Oskar i klass 9", "Ahmed (15)", "Ahmed, 15 år", "Lisa 16 år", "Ali på åk 9".
_CONTEXT_AFTER_NAME = re.compile(
    r"(?:[ \u00a0]+(?:i|på|från|går[ \u00a0]+i|i[ \u00a0]+klass|i[ \u00a0]+åk|i[ \u00a0]+årskurs)[ \u00a0]+"
    r"(?:klass[ \u00a0]+|åk[ \u00a0.]*|årskurs[ \u00a0]+)?[0-9]{1,2}[ \u00a0]?[A-Za-zÅÄÖåäö]?(?![\w-])"
    r"|,?[ \u00a0]+\(?[0-9]{1,2}[ \u00a0]*(?:år|åring)?\)?(?:[ \u00a0]+(?:år|gammal))?(?![\w]))"
)
_AGE_OR_CLASS = re.compile(r"år|åring|gammal|\(|[0-9][ \u00a0]?[A-Za-zÅÄÖåäö]|klass|åk|årskurs|i[ \u00a0]+[0-9]")


# First names that are also words before a number: "Max 15 år", "Per 10 elever".
_COUNT_NOT_NAME = _words("max per")


def _find_names_in_context(text: str) -> list[Finding]:
    found: list[Finding] = []
    for match in _NAME_AFTER_CUE.finditer(text):
        name, cue = match["name"], match["cue"]
        strong = _IS_NAMING_CUE.search(cue)
        listed = _is_first_name(name)
        after_person = strong and _is_capitalised(name) and _PERSON_BEFORE_CUE.match(cue)
        lower_case = strong and name.islower() and len(name) > 3 and _is_first_name(name.capitalize())
        if listed or after_person or lower_case:
            found.append(Finding(PERSON_NAME, match.start("name"), match.end("name"), name))
    for word in _WORD.finditer(text):
        if word.group().lower() in _COUNT_NOT_NAME or not word.group()[0].isupper() or not _is_first_name(word.group()):
            continue
        after = _CONTEXT_AFTER_NAME.match(text, word.end())
        # A bare count after a name ("Max 10") is not context; an age or a class is.
        if after and _AGE_OR_CLASS.search(after.group()):
            found.append(Finding(PERSON_NAME, word.start(), after.end(), text[word.start():after.end()]))
    return found


# --- public API --------------------------------------------------------------------------------------


def find_personal_data(text: str) -> list[Finding]:
    """Return the personal data found in ``text``, ordered by position, without overlaps."""
    if not text:
        return []
    original = text
    if not unicodedata.is_normalized("NFC", text):
        # Decomposed "å" (a + combining ring, as some keyboards send it) would slip past the
        # character classes; search the composed text and map offsets back to the original.
        text, offsets = _compose(original)
    else:
        offsets = None

    # Cheap tests first, each implied by what its finder looks for, so most texts skip most finders:
    # every identity number has six digits in a row (the birth date), every phone, address and identity
    # number has a digit, and every e-mail address an "@" or a bracketed "at".
    candidates: list[Finding] = []
    if any(map(text.__contains__, "0123456789")):  # several times faster than a regex search
        if _SIX_DIGITS.search(text):
            candidates += _find_identity_numbers(text)
        candidates += _find_phone_numbers(text)
        candidates += _find_street_addresses(text)
        candidates += _find_interim_numbers(text)
        candidates += _find_birth_dates(text)
        if "+" in text or "00" in text:
            candidates += _find_foreign_phone_numbers(text)
    if "@" in text or _BRACKETED_AT.search(text):
        candidates += _find_emails(text)
    candidates += _find_person_names(text)
    candidates += _find_names_in_context(text)
    candidates += _find_social_media_handles(text)

    chosen: list[Finding] = []
    for finding in sorted(candidates, key=lambda f: (_PRIORITY[f.kind], f.start, -(f.end - f.start))):
        if all(finding.end <= kept.start or finding.start >= kept.end for kept in chosen):
            chosen.append(finding)
    chosen.sort(key=lambda f: (f.start, f.end))
    if offsets is not None:
        chosen = [
            Finding(f.kind, offsets[f.start], offsets[f.end], original[offsets[f.start] : offsets[f.end]])
            for f in chosen
        ]
    return chosen


def _compose(text: str) -> tuple[str, list[int]]:
    """NFC-normalise ``text`` and return, for each composed offset (and the end), the original offset."""
    pieces: list[str] = []
    offsets: list[int] = []
    start = 0
    while start < len(text):
        end = start + 1
        while end < len(text) and unicodedata.combining(text[end]):
            end += 1
        composed = unicodedata.normalize("NFC", text[start:end])
        pieces.append(composed)
        offsets.extend([start] * len(composed))
        start = end
    offsets.append(len(text))
    return "".join(pieces), offsets


def is_clean(text: str) -> bool:
    """True when ``text`` contains no personal data the guard can detect."""
    return not find_personal_data(text)


def explain(findings: list[Finding]) -> list[str]:
    """Message ids for the kinds found, each once, in the order they first appear in the text.

    The UI translates each id into what was found and how to rephrase it, e.g. ``pii.person_name`` →
    "A name was found. Describe the person's role instead (a pupil in year 8, a parent)."
    """
    ids: list[str] = []
    for finding in findings:
        message_id = MESSAGE_IDS[finding.kind]
        if message_id not in ids:
            ids.append(message_id)
    return ids
