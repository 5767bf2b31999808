"""The sentences the guide shows for the engine's keys: levels, askers, age bands, questions, reasons, duties.

The rule files name reasons and duties by stable keys; the words live here so that both languages are
complete. A key the rules use but this module lacks falls back to a general sentence (and a test fails).
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

LEVELS: dict[str, tuple[Promise, Promise]] = {
    "none": (_("No signs selected"),
             _("You have not marked any signs. You are still welcome to ask for advice if something worries you.")),
    "early": (_("Early concern"),
              _("What you describe can be early signs. Talking to someone early makes it easier to help.")),
    "heightened": (_("Heightened concern"),
                   _("What you describe points to a greater risk. Contact someone soon, within a few days.")),
    "clear": (_("Clear problem"),
              _("What you describe points to a clear problem for one person. Contact someone today.")),
    "acute": (_("Acute danger"),
              _("Someone may be in danger right now. Call 112 first.")),
}

ASKERS: dict[str, Promise] = {
    "self": _("I am asking about myself"),
    "relative": _("I am a parent or relative"),
    "friend": _("I am a friend"),
    "municipal_staff": _("I work for the municipality"),
    "other_professional": _("I work elsewhere, e.g. in healthcare, the police or an association"),
}

AGE_BANDS: dict[str, Promise] = {
    "under_18": _("Under 18"),
    "adult": _("18 or older"),
    "unknown": _("I don't know"),
}

QUESTIONS: dict[str, Promise] = {
    "asker": _("Who are you?"),
    "age_band": _("How old is the person you are worried about?"),
    "immediate_danger": _("Is someone in immediate danger, or is a crime happening right now?"),
    "planning_violence": _("Is the person planning or threatening violence?"),
    "wants_to_leave": _("Does the person want to leave an extremist group?"),
    "signs": _("What have you noticed?"),
}

HELP: dict[str, Promise] = {
    "asker": _("This helps us show the contacts that are meant for you."),
    "age_band": _("Help for children and for adults comes from different places. If you are asking about "
                  "yourself, give your own age."),
    "immediate_danger": _("For example a fight, a threat with a weapon, or someone about to hurt themself or others."),
    "planning_violence": _("For example talk about attacking someone, or making plans or gathering weapons."),
    "wants_to_leave": _("There is support for people who want to get out, and for their families."),
    "signs": _("Tick everything that fits. You can also leave all boxes empty."),
}

REASONS: dict[str, Promise] = {
    "call_112_now": _("Someone may be in danger right now. Call 112 first, before anything else."),
    "call_112_if_in_danger": _("If anyone is in danger, call 112."),
    "police_tips_planned_violence": _("Planned or threatened violence is a matter for the police. Tell them what "
                                      "you know."),
    "police_tips_share_information": _("The police want to know about signs of violent extremism, even when it "
                                       "is not urgent."),
    "police_leaver_coordinators": _("The police have leaver coordinators who help people leave violent milieus."),
    "social_services_report_of_concern": _("As municipal staff you must report a concern about a child to social "
                                           "services without delay."),
    "social_services_report_if_under_18": _("If the person turns out to be under 18, you as municipal staff must "
                                            "report your concern to social services."),
    "social_services_report_if_duty": _("Many professions must report a concern about a child to social services. "
                                        "Check whether your duty applies; anyone may report."),
    "social_services_concern_for_child": _("Social services can support a young person and their family. Anyone "
                                           "may report a concern about a child."),
    "social_services_support": _("Social services can offer support and talk through what can be done."),
    "bris_talk_to_someone": _("You can talk to an adult at Bris about anything, and you may stay anonymous."),
    "coordinator_leaver_support": _("The municipality's coordinator knows what support there is for leaving a "
                                    "group and can put you in touch."),
    "leaver_support": _("Support for people who want to leave a violent extremist milieu."),
    "coordinator_questions": _("The municipality's coordinator answers questions about violent extremism and "
                               "can advise you."),
    "coordinator_early_concern": _("The municipality's coordinator can advise you on early signs and on what you "
                                   "can do."),
    "coordinator_convenes_expert_group": _("The municipality's coordinator can bring together the people who need "
                                           "to act, in an expert group."),
    "relatives_line_support": _("A national phone line for people who are worried about someone close to them."),
    "psychiatry_child": _("Child and adolescent psychiatry helps young people under 18 who are not well."),
    "psychiatry_adult": _("Adult psychiatry helps people who are 18 or older and are not well."),
    "psychiatry_child_if_under_18": _("If the person is under 18: child and adolescent psychiatry."),
    "psychiatry_adult_if_18_or_over": _("If the person is 18 or older: adult psychiatry."),
    "healthcare_advice_self": _("If you are not feeling well, you can get advice from healthcare at any time."),
}
FALLBACK_REASON = _("This contact can help with what you describe.")

DUTIES: dict[str, Promise] = {
    "report_of_concern": _("Your duty: as municipal staff you must report to social services when you suspect a "
                           "child (under 18) may be at risk. Do it without delay; you cannot hand the duty over to "
                           "someone else."),
    "consider_report_of_concern": _("Check your duty: if the person is under 18 and you work with children or "
                                    "in a public authority, you may be obliged to report your concern to social "
                                    "services."),
}
FALLBACK_DUTY = _("A duty may apply to you. Ask the municipality's coordinator.")


def reason_text(key: str) -> Promise:
    return REASONS.get(key, FALLBACK_REASON)


def duty_text(key: str) -> Promise:
    return DUTIES.get(key, FALLBACK_DUTY)
