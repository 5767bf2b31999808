"""A municipality from nothing: the `varna` command creates it, then only the product's pages, as its
administrators and its coordinator (checklist, units, people, groups, contacts, knowledge, routing, districts, a
plan); then a worried parent there gets its local contacts, and its working group records an observation with its
own category (added on the vocabulary page) in its own districts. No /admin/ and no shell after the command."""

from __future__ import annotations

import re
from typing import Any

from django.core import mail
from django.core.management import call_command
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from varna.cli import translate

PASSWORD = "vallentuna har en lång fras"
M = "/vallentuna/"
PLAN = """\
format: varna-plan/1
plan: {slug: handlingsplan, title: Vallentunas handlingsplan mot våldsbejakande extremism}
version: {number: 1, status: draft}
organisations:
  - {key: gymnasiet, name: Vallentuna gymnasium, kind: school}
levels:
  - key: forebygga
    name: Förebygga
    activities:
      - {key: foraldramoten, direction: Föräldramöten om nätet, action: Varje skola håller ett möte per termin.,
         responsible: [gymnasiet], cadence: per_term(1)}
"""


def _mail_to(address: str) -> str:
    return [message for message in mail.outbox if address in message.to][-1].body


def _invitation_path(address: str) -> str:
    return re.search(r"(/account/invitation/[^/\s]+/)", _mail_to(address)).group(1)


def _accept(page: Any, address: str, name: str) -> None:
    page.goto(_invitation_path(address))
    page.get_by_label("Your name").fill(name)
    page.get_by_label("Choose a password").fill(PASSWORD)
    page.get_by_label("The password again").fill(PASSWORD)
    page.get_by_role("button", name="Accept and continue").click()


def _second_factor(page: Any, address: str) -> None:
    """First login of a role that needs two factors: a code by e-mail, then the app's first code."""
    expect(page).to_have_url(re.compile("/account/two-factor/$"))
    page.get_by_role("button", name="Send me a code by e-mail").click()
    code = re.search(r"\b(\d{6})\b", _mail_to(address)).group(1)
    page.get_by_label("Six-digit code from the e-mail").fill(code)
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_label("Six-digit code from your authenticator app")).to_be_visible()
    device = TOTPDevice.objects.get(user__email=address, confirmed=False)
    page.get_by_label("Six-digit code from your authenticator app").fill(
        f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}")
    page.get_by_role("button", name="Confirm").click()
    page.get_by_role("link", name="I have saved the codes – continue").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def _log_in(page: Any, address: str) -> None:
    page.goto("/account/login/")
    page.get_by_label("E-mail address").fill(address)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def _no_violations(page: Any, axe: Any) -> None:
    assert axe(page) == [], page.url


def test_a_municipality_sets_itself_up_from_nothing(new_page: Any, axe: Any, tmp_path: Any) -> None:
    call_command(*translate(["municipality", "create", "--name", "Vallentuna", "--code", "0115",
                             "--admin", "it@vallentuna.example", "--admin", "kansli@vallentuna.example"]))

    # Before anything is set up, the public guide gives the national numbers and says why.
    parent = new_page("en")
    parent.goto(M + "vart-vander-jag-mig/")
    expect(parent.get_by_text("Vallentuna is still setting up its guide")).to_be_visible()
    expect(parent.locator("#contact-emergency-112")).to_be_visible()
    _no_violations(parent, axe)

    # The first administrator accepts, chooses a password, sets up two factors; then units and people.
    admin = new_page("en")
    admin.goto(_invitation_path("it@vallentuna.example"))
    _no_violations(admin, axe)
    _accept(admin, "it@vallentuna.example", "Ida IT")
    _second_factor(admin, "it@vallentuna.example")
    admin.goto(M + "setup/")
    expect(admin.get_by_role("heading", name="Setting up Värna for Vallentuna")).to_be_visible()
    _no_violations(admin, axe)
    admin.get_by_role("link", name="Units and their staff").click()
    for name, kind, staff in (("Vallentuna gymnasium", "school", "64"), ("Socialtjänsten", "social_services", "31")):
        admin.get_by_label("Name").fill(name)
        admin.get_by_label("Kind").select_option(kind)
        admin.get_by_label("Number of staff").fill(staff)
        admin.get_by_role("button", name="Add the unit").click()
        expect(admin.get_by_text(f"{name} was added.")).to_be_visible()
    admin.get_by_label("Number of staff").fill("-1")
    admin.get_by_role("button", name="Add the unit").click()
    expect(admin.locator("#error-summary")).to_be_visible()
    _no_violations(admin, axe)

    admin.goto(M + "setup/people/")
    for address, role in (("samordnare@vallentuna.example", "coordinator"),
                          ("fritid@vallentuna.example", "working_group")):
        admin.get_by_label("E-mail address").fill(address)
        admin.get_by_label("Role").select_option(role)
        admin.get_by_role("button", name="Send the invitation").click()
        expect(admin.get_by_text(f"The invitation was sent to {address}.")).to_be_visible()
    _no_violations(admin, axe)

    # The coordinator's role needs a second administrator: the other one approves it.
    coordinator = new_page("en")
    _accept(coordinator, "samordnare@vallentuna.example", "Sara Samordnare")
    second = new_page("en")
    _accept(second, "kansli@vallentuna.example", "Kalle Kansli")
    _second_factor(second, "kansli@vallentuna.example")
    second.goto(M + "manage/people/")
    second.get_by_role("button", name="Approve Coordinator – samordnare@vallentuna.example").click()
    expect(second.get_by_text("The role was approved and now applies.")).to_be_visible()
    member = new_page("en")
    _accept(member, "fritid@vallentuna.example", "Fia Fritid")
    expect(member.get_by_role("button", name="Log out")).to_be_visible()

    # The coordinator logs in (two factors now that the role applies) and does the rest.
    coordinator = new_page("en")
    _log_in(coordinator, "samordnare@vallentuna.example")
    _second_factor(coordinator, "samordnare@vallentuna.example")
    c = coordinator
    c.goto(M + "setup/groups/")
    c.get_by_label("Kind").select_option("working")
    c.get_by_label("Name").fill("Arbetsgruppen mot våldsbejakande extremism")
    c.get_by_role("button", name="Create the group").click()
    c.get_by_label("Person").select_option(label="fritid@vallentuna.example")
    c.get_by_role("button", name="Add to the group").click()
    expect(c.get_by_text("The member was added.")).to_be_visible()
    _no_violations(c, axe)

    for key, name, kind, phone in (("social-services-intake", "Vallentuna socialtjänst, mottagningen",
                                    "social_services_intake", "08-587 850 00"),
                                   ("coordinator", "Vallentunas samordnare", "coordinator", "08-587 851 00")):
        c.goto(M + "guidance/contacts/new/")
        c.get_by_label("Key").fill(key)
        c.get_by_label("Name").fill(name)
        c.get_by_label("Kind").select_option(kind)
        c.get_by_label("Phone").fill(phone)
        c.get_by_label("How did you check the details?").select_option("called")
        c.get_by_label("Checked against").fill("Kommunens växel")
        c.get_by_role("button", name="Add the contact").click()
        expect(c.get_by_text(f"{name} is added to the directory.")).to_be_visible()

    c.goto(M + "setup/knowledge/")
    c.get_by_label("Edition of the national vocabulary").select_option("2024")
    c.get_by_role("button", name="Load the template").click()
    expect(c.get_by_text("The template was loaded")).to_be_visible()
    # A category of Vallentuna's own, beside the national template's.
    c.get_by_role("link", name="The vocabulary: categories, milieus and signs").click()
    c.goto(M + "knowledge/vocabulary/category/new/")
    c.get_by_label("Key").fill("natverk")
    c.get_by_label("Name", exact=True).fill("Radikalisering i slutna nätverk")
    c.get_by_label("Name in English").fill("Radicalisation in closed networks")
    c.get_by_role("button", name="Save").click()
    expect(c.get_by_text("The entry was added.")).to_be_visible()

    c.goto(M + "setup/routing/")
    c.get_by_label("Who is asking").select_option("relative")
    c.get_by_label("The person's age").select_option("under_18")
    c.get_by_role("button", name="Preview").click()
    expect(c.locator("#preview")).to_contain_text("Vallentunas samordnare")
    _no_violations(c, axe)
    c.get_by_role("button", name="Save the routing").click()
    expect(c.get_by_text("The routing was saved.")).to_be_visible()

    c.goto(M + "setup/districts/")
    c.get_by_label("Districts").fill("Vallentuna centrum\nKårsta\nBrottby\nKårsta")
    c.get_by_role("button", name="Add the districts").click()
    expect(c.get_by_text("3 districts were added.")).to_be_visible()
    _no_violations(c, axe)

    plan_file = tmp_path / "vallentuna.yaml"
    plan_file.write_text(PLAN, encoding="utf-8")
    c.goto(M + "plans/import/")
    c.get_by_label("Plan file (YAML)").set_input_files(str(plan_file))
    c.get_by_role("button", name=re.compile("Import")).click()
    expect(c.get_by_text("The plan was imported as draft 1.")).to_be_visible()

    c.goto(M + "setup/")
    for step in ("units", "groups", "people", "contacts", "knowledge", "routing", "districts", "plan"):
        expect(c.locator(f"#step-{step}")).to_contain_text("Done")
    c.get_by_role("button", name="Publish the guide").click()
    expect(c.get_by_text("The guide is published: it now gives")).to_be_visible()

    # A worried parent in Vallentuna now gets Vallentuna's own contacts.
    parent = new_page("en")
    parent.goto(M + "vart-vander-jag-mig/")
    parent.get_by_label("I am a parent or relative").check()
    parent.get_by_role("button", name="Next").click()
    parent.get_by_label("Under 18").check()
    parent.get_by_role("button", name="Next").click()
    for _question in ("immediate_danger", "planning_violence", "wants_to_leave"):
        parent.get_by_label("No", exact=True).check()
        parent.get_by_role("button", name="Next").click()
    parent.locator("input[name=signs]").first.check()
    parent.get_by_role("button", name="Show where to turn").click()
    expect(parent.get_by_text(re.compile("^Vallentuna(s samordnare| socialtjänst)")).first).to_be_visible()

    # The working group records an observation in the municipality's own districts.
    _log_in(member, "fritid@vallentuna.example")
    member.goto(M + "situation/observations/new/")
    member.get_by_label("District").select_option(label="Kårsta")
    member.get_by_label("Category").select_option("natverk")
    member.get_by_label("Milieu").select_option(index=1)
    member.get_by_label("Boys/men, 15–17").fill("2")
    member.get_by_role("button", name="Save").click()
    expect(member.get_by_text("Thank you. The observation was saved.")).to_be_visible()
