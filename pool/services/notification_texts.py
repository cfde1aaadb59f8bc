"""What a notification says, in Dutch and in English: the sentence in the app, and the e-mail's subject and body.

One source for both, so a person reads the same words in the bell and in the mail, in its own language (the
user's `locale`; Dutch when it names no language of ours). A notification stores only its kind and facts; the
words are made when it is read or mailed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

LANGUAGES = ("nl", "en")

STATUS = {
    "nl": {"draft": "concept", "submitted": "ingediend", "approved": "goedgekeurd", "rejected": "afgewezen",
           "planned": "ingepland", "done": "afgerond", "cancelled": "geannuleerd"},
    "en": {"draft": "draft", "submitted": "submitted", "approved": "approved", "rejected": "rejected",
           "planned": "planned", "done": "done", "cancelled": "cancelled"},
}

# kind -> language -> (subject, sentence); the sentence's {fields} come from the facts (see _fields)
TEXTS: dict[str, dict[str, tuple[str, str]]] = {
    "assignments-changed": {
        "nl": ("Je inzet is veranderd", "Planning {plan} is gepubliceerd en je inzet is veranderd."),
        "en": ("Your assignments changed", "Plan {plan} is published and your assignments changed."),
    },
    "requests-changed": {
        "nl": ("Nieuwe planning voor je aanvragen",
               "Planning {plan} is gepubliceerd: wie er aan de aanvragen van je gemeente werkt, is veranderd."),
        "en": ("A new plan for your requests",
               "Plan {plan} is published: who works on your municipality's requests changed."),
    },
    "digest_specialist": {
        "nl": ("Je nieuwe en gewijzigde inzet",
               "Weekoverzicht: {changes} nieuwe of gewijzigde week/weken in je inzet."),
        "en": ("Your new and changed assignments",
               "Weekly digest: {changes} new or changed week(s) in your assignments."),
    },
    "digest_team_lead": {
        "nl": ("Waar je aanvragen staan", "Weekoverzicht van je aanvragen: {statuses}."),
        "en": ("Where your requests stand", "Weekly digest of your requests: {statuses}."),
    },
    "window_reminder": {
        "nl": ("Nog niets ingepland voor {request}",
               "Aanvraag {request} ({title}) begint op {starts} en er is nog niets voor ingepland."),
        "en": ("Nothing planned yet for {request}",
               "Request {request} ({title}) starts on {starts} and nothing is planned for it yet."),
    },
}
WEEK_LINE = {"nl": "week van {day}: {hours} uur", "en": "week of {day}: {hours} h"}


@dataclass(frozen=True)
class Said:
    subject: str
    sentence: str  # what the app shows
    body: str  # what the mail says: the sentence and its details


def language(locale: str | None) -> str:
    return locale if locale in LANGUAGES else "nl"


def said(kind: str, facts: dict[str, Any], locale: str | None) -> Said:
    """The words of a notification of this kind, with these facts, in this language."""
    lang = language(locale)
    if kind not in TEXTS:
        return Said(kind, kind, kind + "\n")
    subject, sentence = TEXTS[kind][lang]
    values = _fields(facts, lang)
    text = sentence.format(**values)
    return Said(subject.format(**values), text, "\n".join([text, *_details(kind, facts, lang)]) + "\n")


def _day(value: object, lang: str) -> str:
    try:
        day = dt.date.fromisoformat(str(value))
    except ValueError:
        return str(value)
    return f"{day:%d-%m-%Y}" if lang == "nl" else day.isoformat()


def _fields(facts: dict[str, Any], lang: str) -> dict[str, Any]:
    statuses = facts.get("statuses") or {}
    return {
        "plan": facts.get("plan", ""), "changes": facts.get("changes", 0), "request": facts.get("request", ""),
        "title": facts.get("title", ""), "starts": _day(facts.get("starts", ""), lang),
        "statuses": ", ".join(f"{STATUS[lang].get(k, k)}: {v}" for k, v in sorted(statuses.items())),
    }


def _details(kind: str, facts: dict[str, Any], lang: str) -> list[str]:
    """The mail's lines under the sentence: the weeks of a specialist's digest."""
    if kind != "digest_specialist":
        return []
    lines = [""]
    for entry in facts.get("weeks", []):
        day, _, hours = str(entry).partition(":")
        lines.append(WEEK_LINE[lang].format(day=_day(day, lang), hours=hours))
    return lines
