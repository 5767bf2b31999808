"""Real identity providers for the SSO tests, started on loopback for the test run.

`oidc_idp` runs tests/sso/idp/oidc.mjs (the npm oidc-provider package) with two clients: Sollentuna's and
Täby's. `oidc_login` walks a real login through it: Värna's redirect, the provider's login form, its redirect
back with a code; then Värna exchanges the code over HTTP and checks the ID token.
"""

from __future__ import annotations

import json
import select
import shutil
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import requests

IDP_DIR = Path(__file__).parent / "idp"
SECRETS = {"sollentuna": "sollentuna-client-secret-for-tests", "taby": "taby-client-secret-for-tests"}


@dataclass
class RunningIdp:
    issuer: str
    accounts_file: Path
    process: subprocess.Popen

    def set_accounts(self, accounts: dict[str, dict[str, Any]]) -> None:
        self.accounts_file.write_text(json.dumps(accounts))


def _ensure_packages() -> None:
    if not (IDP_DIR / "node_modules" / "oidc-provider").exists():
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=IDP_DIR, check=True,
                       timeout=300)


def start_oidc_idp(clients: list[dict[str, Any]], accounts_file: Path) -> RunningIdp:
    if shutil.which("node") is None:
        pytest.fail("Node.js is needed for the test identity provider (see README, Tests).")
    _ensure_packages()
    accounts_file.write_text("{}")
    env = {"PATH": __import__("os").environ["PATH"], "IDP_CLIENTS": json.dumps(clients),
           "IDP_ACCOUNTS": str(accounts_file), "NODE_ENV": "test"}
    line = ""
    # Once, on a loaded machine, node stopped before printing READY and the whole run waited on it: wait
    # a bounded time, then start it afresh (a second try, then a clear failure instead of a hang).
    for _attempt in range(2):
        process = subprocess.Popen(["node", str(IDP_DIR / "oidc.mjs")], env=env, stdout=subprocess.PIPE,
                                   stderr=subprocess.DEVNULL, text=True)
        ready, _, _ = select.select([process.stdout], [], [], 60)
        line = process.stdout.readline().strip() if ready else "(nothing within 60 s)"
        if line.startswith("READY "):
            return RunningIdp(issuer=line.split(" ", 1)[1], accounts_file=accounts_file, process=process)
        process.kill()
        process.wait(timeout=10)
    pytest.fail(f"the test identity provider did not start: {line!r}")


def client_config(municipality: str, provider: str, base_urls: list[str]) -> dict[str, Any]:
    return {"client_id": f"varna-{municipality}", "client_secret": SECRETS[municipality],
            "redirect_uris": [f"{base}/account/sso/{municipality}/{provider}/oidc/callback/" for base in base_urls],
            "response_types": ["code"], "grant_types": ["authorization_code"]}


@pytest.fixture(scope="session")
def oidc_idp(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningIdp]:
    clients = [client_config("sollentuna", "kommun", ["http://testserver"]),
               client_config("taby", "taby-id", ["http://testserver"])]
    idp = start_oidc_idp(clients, tmp_path_factory.mktemp("idp") / "accounts.json")
    yield idp
    idp.process.terminate()
    idp.process.wait(timeout=10)


@pytest.fixture
def oidc_provider(oidc_idp: RunningIdp, sollentuna: Any) -> Any:
    """Sollentuna's provider in Värna (no role mapping yet: a test adds the lines it needs)."""
    from varna.sso.models import IdentityProvider

    oidc_idp.set_accounts({})
    return IdentityProvider.objects.create(
        municipality=sollentuna, slug="kommun", name="Sollentuna kommun", protocol="oidc", issuer=oidc_idp.issuer,
        client_id="varna-sollentuna", client_secret=SECRETS["sollentuna"],
        scopes="openid email profile groups organisation", organisation_claim="organisation",
        unknown_users="create", two_factor_values="urn:varna:test:mfa")


@pytest.fixture
def taby_provider(oidc_idp: RunningIdp, taby: Any) -> Any:
    from varna.sso.models import IdentityProvider

    return IdentityProvider.objects.create(
        municipality=taby, slug="taby-id", name="Täby kommun", protocol="oidc", issuer=oidc_idp.issuer,
        client_id="varna-taby", client_secret=SECRETS["taby"], scopes="openid email profile groups",
        unknown_users="create")


def provider_redirect(start: Any) -> str:
    assert start.status_code == 302, start
    return start["Location"]


def walk_idp(authorization_url: str, *, account: str, acr: str = "urn:varna:test:password") -> str:
    """The person at the provider: follow its redirects, fill in its login form, and return the address it
    finally sends the browser to (Värna's callback with code and state)."""
    session = requests.Session()
    url = authorization_url
    for _ in range(10):
        response = session.get(url, allow_redirects=False, timeout=10)
        if response.status_code in (302, 303):
            url = requests.compat.urljoin(url, response.headers["Location"])
            continue
        break
    assert "/interaction/" in url, response.text[:500]
    response = session.post(url, data={"account": account, "acr": acr}, allow_redirects=False, timeout=10)
    for _ in range(10):
        assert response.status_code in (302, 303), response.text[:500]
        url = requests.compat.urljoin(url, response.headers["Location"])
        if not url.startswith(authorization_url.split("/auth")[0]):
            return url
        response = session.get(url, allow_redirects=False, timeout=10)
    raise AssertionError("the provider never sent the browser back")


@pytest.fixture
def oidc_login() -> Callable[..., Any]:
    """`oidc_login(client, municipality, provider, account, acr=...)`: a whole login; Värna's last answer."""

    def login(client: Any, municipality: str, provider: str, account: str, *,
              acr: str = "urn:varna:test:password", next_url: str = "") -> Any:
        start = client.get(f"/account/sso/{municipality}/{provider}/login/" + (f"?next={next_url}" if next_url else ""))
        back = walk_idp(provider_redirect(start), account=account, acr=acr)
        parts = urlsplit(back)
        return client.get(f"{parts.path}?{parts.query}")

    return login


# --- SAML 2.0 -----------------------------------------------------------------------------------------------------

SP_BASE = "http://testserver/account/sso/{municipality}/{provider}/saml/"


@pytest.fixture
def saml_idp(tmp_path: Path) -> Any:
    from tests.sso.saml_idp import TestIdp

    idp = TestIdp("https://idp.sollentuna.example/saml", tmp_path)
    idp.accounts = {"anna-1": {"mail": ["anna@sollentuna.example"], "displayName": ["Anna Berg"],
                               "isMemberOf": ["vbe-staff"]}}
    return idp


@pytest.fixture
def saml_provider(saml_idp: Any, sollentuna: Any, client: Any) -> Any:
    """Sollentuna's SAML provider in Värna; the test IdP gets Värna's metadata for it, as an IdP admin would."""
    from varna.sso.models import IdentityProvider
    from varna.sso.saml import read_idp_metadata

    metadata = saml_idp.metadata()
    read = read_idp_metadata(metadata)
    provider = IdentityProvider.objects.create(
        municipality=sollentuna, slug="adfs", name="Sollentuna ADFS", protocol="saml", saml_metadata_xml=metadata,
        saml_idp_entity_id=read.entity_id, saml_certificate_not_after=read.certificate_not_after,
        email_claim="mail", name_claim="displayName", groups_claim="isMemberOf", unknown_users="create",
        two_factor_values="https://refeds.org/profile/mfa")
    saml_idp.sp_metadata = client.get("/account/sso/sollentuna/adfs/saml/metadata/").content.decode()
    return provider


@pytest.fixture
def saml_login(saml_idp: Any) -> Callable[..., Any]:
    """`saml_login(client, account, **answer_options)`: Värna's AuthnRequest, the IdP's signed answer posted to
    the assertion consumer, the hand-off to the session; Värna's last answer. Options go to `TestIdp.answer`."""

    def login(client: Any, account: str = "anna-1", *, idp: Any = None, municipality: str = "sollentuna",
              provider: str = "adfs", **options: Any) -> Any:
        idp = idp or saml_idp
        base = SP_BASE.format(municipality=municipality, provider=provider)
        start = client.get(f"/account/sso/{municipality}/{provider}/login/")
        assert start.status_code == 302, start
        options.setdefault("sp_entity_id", base + "metadata/")
        options.setdefault("acs_url", base + "acs/")
        answer = idp.answer(account=account, in_response_to=idp.request_id(start["Location"]), **options)
        posted = client.post(base.removeprefix("http://testserver") + "acs/", {"SAMLResponse": answer})
        if posted.status_code != 302:
            return posted
        return client.get(posted["Location"])

    return login
