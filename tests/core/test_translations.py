"""Every user-facing string is translatable and the Swedish catalogue of every app is complete."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

SRC = Path(__file__).resolve().parents[2] / "src" / "varna"
CATALOGUES = sorted(SRC.glob("**/locale/sv/LC_MESSAGES/django.po"))


def _read(path: Path) -> object:
    with path.open("rb") as handle:
        return read_po(handle)


def test_every_app_with_strings_has_a_catalogue() -> None:
    assert {p.parents[3].name for p in CATALOGUES} >= {"varna", "core", "plans"}


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: p.parents[3].name)
def test_swedish_catalogue_is_complete(path: Path) -> None:
    catalogue = _read(path)
    untranslated = [m.id for m in catalogue if m.id and (not all(m.string if isinstance(m.string, tuple)
                                                                 else [m.string]) or m.fuzzy)]
    assert untranslated == []


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="needs gettext (scripts/system-deps.sh)")
@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: p.parents[3].name)
def test_catalogue_holds_every_string_in_the_code(path: Path, tmp_path: Path) -> None:
    app_dir = path.parents[3]
    copy = tmp_path / app_dir.name
    if app_dir == SRC:
        # The project-level catalogue covers the shared templates; each app's catalogue covers the app.
        shutil.copytree(SRC / "templates", copy / "templates")
    else:
        shutil.copytree(app_dir, copy, ignore=shutil.ignore_patterns("locale", "__pycache__"))
    (copy / "locale").mkdir()
    # -P: the app directory holds modules (selectors.py) that must not shadow the standard library.
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "varna.settings.test", "PYTHONPATH": str(SRC.parent)}
    subprocess.run([sys.executable, "-P", "-m", "django", "makemessages", "-l", "sv", "--no-location"],
                   cwd=copy, env=env, check=True, capture_output=True, timeout=120)
    fresh = {m.id for m in _read(copy / "locale" / "sv" / "LC_MESSAGES" / "django.po") if m.id}
    committed = {m.id for m in _read(path) if m.id}
    assert fresh - committed == set(), "run `make makemessages` and translate the new strings"


ALL_CATALOGUES = sorted(SRC.glob("**/locale/*/LC_MESSAGES/django.po"))


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="needs gettext (scripts/system-deps.sh)")
@pytest.mark.parametrize("path", ALL_CATALOGUES, ids=lambda p: f"{p.parents[3].name}-{p.parents[1].name}")
def test_catalogue_has_no_duplicate_or_broken_entry(path: Path) -> None:
    # pybabel compiles a catalogue with two entries for one string, silently keeping one of them (a merge
    # once left a Swedish sentence under the wrong English one); msgfmt --check refuses it.
    result = subprocess.run(["msgfmt", "--check-format", "--check-domain", "-o", os.devnull, str(path)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
