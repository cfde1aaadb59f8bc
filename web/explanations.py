"""The planner's explanations in the reader's language: reason codes and facts worded with names and ISO weeks."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext, ngettext

from pool.services.plan_request import Explanation, Names
from pool.weeks import week_start
from web.i18n import PRIORITY, iso_week

SHOWN_PEOPLE = 4

WHY_CHOSEN = {
    "internal-not-partner": lazy_gettext("an internal specialist costs nothing, the knowledge partner does"),
    "continuity": lazy_gettext("one person carries the whole need (continuity)"),
    "stability": lazy_gettext("the published plan already has this person here (stability)"),
    "home-municipality": lazy_gettext("the specialist belongs to the requesting municipality"),
    "level-fits": lazy_gettext("the level fits the work, so no senior is spent on junior work"),
}

# The goals of the score analysis: what each one measures.
RULES = {
    "fill": lazy_gettext("Demand filled, in hours weighted by priority"),
    "partner_cost": lazy_gettext("Cost of the knowledge partner, in euros"),
    "fairness": lazy_gettext("Share of its fillable demand that the worst-served municipality gets"),
    "fairness_spread": lazy_gettext("Spread between the best- and the worst-served municipality"),
    "continuity": lazy_gettext("Pairs of need and specialist (fewer means more continuity)"),
    "stability": lazy_gettext("Hours moved from the published plan after the frozen weeks"),
    "home_municipality": lazy_gettext("Hours worked for another municipality than one's own"),
    "senior_on_junior": lazy_gettext("Hours of seniors on junior work, times the levels above the minimum"),
}
SHARES = ("fairness", "fairness_spread")  # values that are fractions


def hours(n: int) -> str:
    return ngettext("%(num)d hour", "%(num)d hours", n)


class Wording:
    """Words one plan's explanations for the current reader."""

    def __init__(self, names: Names) -> None:
        self.names = names

    def week(self, w: int) -> str:
        return iso_week(week_start(self.names.horizon_start, w))

    def span(self, first: int, last: int) -> str:
        if first == last:
            return _("in %(week)s", week=self.week(first))
        return _("from %(first)s to %(last)s", first=self.week(first), last=self.week(last))

    def weeks(self, weeks: list[int]) -> str:
        """Say a set of weeks as runs of consecutive ISO weeks."""
        runs: list[list[int]] = []
        for w in sorted(weeks):
            if runs and w == runs[-1][-1] + 1:
                runs[-1].append(w)
            else:
                runs.append([w])
        return "; ".join(self.week(r[0]) if len(r) == 1 else f"{self.week(r[0])} – {self.week(r[-1])}" for r in runs)

    def person(self, code: str) -> str:
        return self.names.specialists.get(code, code)

    def people(self, codes: list[str]) -> str:
        shown = ", ".join(self.person(c) for c in codes[:SHOWN_PEOPLE])
        if len(codes) > SHOWN_PEOPLE:
            return _("%(names)s and %(num)d more", names=shown, num=len(codes) - SHOWN_PEOPLE)
        return shown

    def request(self, code: str) -> str:
        title, town = self.names.requests.get(code, (code, ""))
        return _("“%(title)s” of %(municipality)s", title=title, municipality=town) if town else title

    def skill(self, code: str) -> str:
        return self.names.skills.get(code, code)

    def takers(self, f: dict[str, Any]) -> str:
        parts = []
        for t in f.get("takers", []):
            what = {"request": self.request(t["request"]), "priority": PRIORITY[t["priority"]],
                    "hours": hours(t["hours"])}
            if t["priority"] < f["priority"]:
                parts.append(_("the higher-priority request %(request)s (%(priority)s, %(hours)s)", **what))
            elif t["priority"] == f["priority"]:
                parts.append(_("the equal-priority request %(request)s (%(priority)s, %(hours)s)", **what))
            else:
                parts.append(_("the request %(request)s (%(priority)s, %(hours)s)", **what))
        if f.get("other_takers"):
            parts.append(ngettext("%(num)d other request", "%(num)d other requests", f["other_takers"]))
        return "; ".join(parts)

    def unmet(self, reason: str, f: dict[str, Any]) -> str:
        """Say why a need is not completely filled."""
        span = self.span(f["start_week"], f["end_week"])
        skill = {"skill": self.skill(f["skill"]), "level": f["min_level"]}
        takers = self.takers(f)
        if reason == "no-eligible-specialist":
            text = _("Nobody in the pool has %(skill)s at level %(level)s or higher.", **skill)
            if f.get("partner_has_it"):
                text += " " + _("The knowledge partner has it, but this request does not allow the partner.")
            return text
        if reason == "window-too-short":
            return _("The window (%(span)s, %(weeks)s weeks) at %(max)s hours a week allows at most %(window)s "
                     "hours, but the request asks %(asked)s hours in all.", span=span, weeks=f["weeks"],
                     max=f["max_hours_per_week"], window=f["window_hours"], asked=f["asked"])
        if reason == "no-hours-in-window":
            return _("%(people)s have %(skill)s at level %(level)s or higher, but none of them has pool hours left "
                     "%(span)s (leave, home duties, frozen weeks or the partner's notice period).",
                     people=self.people(f["specialists"]), span=span, **skill)
        if reason == "all-or-nothing-not-reachable":
            text = _("This request is all-or-nothing and could not be planned completely %(span)s.", span=span)
            if takers:
                text += " " + _("The hours of the qualified specialists go to %(takers)s.", takers=takers)
            return text
        if reason == "partner-budget-exhausted":
            return _("The internal specialists with %(skill)s are fully booked %(span)s, and the knowledge "
                     "partner's budget of %(budget)s hours is used up.", skill=skill["skill"], span=span,
                     budget=f["budget_hours"])
        if reason == "capacity-taken":
            people = self.people(f["specialists"])
            if takers:
                return _("The qualified specialists (%(people)s) are fully booked %(span)s by %(takers)s.",
                         people=people, span=span, takers=takers)
            return _("The qualified specialists (%(people)s) are fully booked %(span)s.", people=people, span=span)
        if reason == "weekly-maximum-reached":
            return _("The request's maximum of %(max)s hours a week is used up in every week %(span)s.",
                     max=f["max_hours_per_week"], span=span)
        text = _("Qualified specialists still have hours free %(span)s, but using them would cost a higher goal "
                 "(a more urgent request, the partner budget) or the planner found no better plan in time.",
                 span=span)
        if takers:
            text += " " + _("Their hours go to %(takers)s.", takers=takers)
        return text

    def assignment(self, why: Explanation) -> list[str]:
        """Say why a specialist works on a need, sentence by sentence."""
        f = why.facts
        if why.code != "assigned":
            return [_("%(person)s is not assigned to this need in this plan.", person=self.person(f["specialist"]))]
        text = [_("%(person)s (level %(level)s in %(skill)s, at least %(min)s asked) works %(hours)s of the "
                  "%(need)s: %(weeks)s.", person=self.person(f["specialist"]), level=f["level"],
                  skill=self.skill(f["skill"]), min=f["min_level"], hours=hours(f["hours"]),
                  need=hours(f["need_hours"]), weeks=self.weeks(f["weeks"]))]
        if f["fixed"] == "pinned":
            text.append(_("The coordinator pinned this assignment."))
        elif f["fixed"] == "frozen":
            text.append(_("Part of it lies in the frozen weeks of the published plan."))
        if f["because"]:
            text.append(_("Chosen because %(reasons)s.", reasons="; ".join(str(WHY_CHOSEN[c]) for c in f["because"])))
        if not f["alternatives"]:
            text.append(_("Nobody else in the pool qualifies."))
            return text
        parts = []
        for o in f["alternatives"]:
            note = _("%(free)s free in those weeks", free=hours(o["free_hours"]))
            if o["busy_on"]:
                note += ", " + _("busy on %(requests)s", requests=", ".join(self.request(r) for r in o["busy_on"][:3]))
                if len(o["busy_on"]) > 3:
                    note += " " + _("and %(num)d more", num=len(o["busy_on"]) - 3)
            if o["partner"]:
                note += ", " + _("knowledge partner at € %(rate)s an hour", rate=o["hourly_cost"])
            parts.append(_("%(person)s (level %(level)s, %(note)s)", person=self.person(o["specialist"]),
                           level=o["level"], note=note))
        listed = "; ".join(parts)
        if f["other_alternatives"]:
            listed += " " + _("and %(num)d more", num=f["other_alternatives"])
        text.append(_("Qualified alternatives: %(alternatives)s.", alternatives=listed))
        return text
