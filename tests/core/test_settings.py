import os
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
FIELD_KEY = "cHJvZHVjdGlvbi1jaGVjay1rZXktMzItYnl0ZXMtbG8="


def _run_production(*args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "varna.settings.production",
                   "DATABASE_URL": "sqlite:///:memory:", **env}
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=environment,
                          capture_output=True, text=True, timeout=120)


def test_production_settings_pass_the_deploy_check() -> None:
    result = _run_production("check", "--deploy", "--fail-level", "WARNING", SECRET_KEY="s" * 30 + "x7Q!" * 10,
                             VARNA_FIELD_ENCRYPTION_KEY=FIELD_KEY)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key() -> None:
    result = _run_production("check", SECRET_KEY="", VARNA_FIELD_ENCRYPTION_KEY=FIELD_KEY)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_refuses_to_start_without_a_field_encryption_key() -> None:
    result = _run_production("check", SECRET_KEY="s" * 30 + "x7Q!" * 10, VARNA_FIELD_ENCRYPTION_KEY="")
    assert result.returncode != 0
    assert "VARNA_FIELD_ENCRYPTION_KEY" in result.stderr


def test_security_headers_are_sent(client: Any, db: Any) -> None:
    response = client.get("/")
    csp = response["Content-Security-Policy"]
    assert "unsafe-inline" not in csp
    assert "default-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"


def test_cli_maps_friendly_commands_to_management_commands() -> None:
    from varna.cli import translate

    assert translate(["plan", "import", "f.yaml", "--municipality", "x"]) == [
        "plan_import", "f.yaml", "--municipality", "x"]
    assert translate(["plan", "export"]) == ["plan_export"]
    assert translate(["demo"]) == ["load_demo"]
    assert translate(["migrate"]) == ["migrate"]
