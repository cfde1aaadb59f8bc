"""Deterministic generator of believable ``pool-instance/1`` documents.

``generate_instance(size, seed)`` builds a planning situation on the scale ladder of DESIGN.md
(S, M, L, XL) with real Dutch municipalities (CBS codes, ``pool/data/municipalities.csv``), the
shared skill catalogue (``pool/data/skills.csv``), Dutch-named specialists with holidays and home
duties, a knowledge partner with its consultants, and requests whose titles a municipal ICT
department would write.

Only ``random.Random(seed)`` is used, every collection is iterated in a fixed order, and no date
depends on "today": the same ``(size, seed, requests, start)`` always gives the same document.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import math
import random
from dataclasses import dataclass
from importlib import resources
from typing import Any

__all__ = [
    "DEFAULT_START",
    "SIZES",
    "Municipality",
    "SizeSpec",
    "Skill",
    "generate_instance",
    "load_municipalities",
    "load_skills",
]

#: A fixed Monday used when the caller gives no start date.
DEFAULT_START = datetime.date(2027, 1, 4)

#: Demand (hours asked) over net internal capacity (pool hours minus leave over the horizon) that
#: the need sizes are calibrated on, for the ladder's default number of requests. Incidents are
#: capped in size, so the realised ratio is about 0.40, like ``bench/sample-s.json`` (0.39). With
#: 2-5 skills per specialist and minimum levels this is already over capacity in the popular skills
#: (BIO, Azure, security operations) while leaving slack in others (werkplek, servicemanagement).
TARGET_DEMAND_RATIO = 0.44


@dataclass(frozen=True)
class SizeSpec:
    municipalities: int
    specialists: int
    requests: int
    weeks: int
    partners: int


SIZES: dict[str, SizeSpec] = {
    "S": SizeSpec(municipalities=10, specialists=120, requests=300, weeks=26, partners=6),
    "M": SizeSpec(municipalities=25, specialists=400, requests=1000, weeks=26, partners=12),
    "L": SizeSpec(municipalities=80, specialists=1500, requests=4000, weeks=52, partners=30),
    "XL": SizeSpec(municipalities=342, specialists=8000, requests=20000, weeks=52, partners=100),
}


@dataclass(frozen=True)
class Municipality:
    code: str
    name: str
    province: str


@dataclass(frozen=True)
class Skill:
    id: str
    name_nl: str
    name_en: str


def _read_csv(filename: str) -> list[dict[str, str]]:
    text = resources.files("pool.data").joinpath(filename).read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def load_municipalities() -> list[Municipality]:
    """All 342 Dutch municipalities of 2024, ordered by CBS code."""
    rows = _read_csv("municipalities.csv")
    return [Municipality(r["code"], r["name"], r["province"]) for r in rows]


def load_skills() -> list[Skill]:
    """The shared skill catalogue in file order."""
    return [Skill(r["id"], r["name_nl"], r["name_en"]) for r in _read_csv("skills.csv")]


# --------------------------------------------------------------------------------------------
# Tables
# --------------------------------------------------------------------------------------------

#: The generator's tables (``pool/data/generator.json``): regions per size, rough sizes of
#: municipalities, how common each skill is, and the words of request titles and names.
_TABLES: dict[str, Any] = json.loads(
    resources.files("pool.data").joinpath("generator.json").read_text(encoding="utf-8")
)

#: S: the Drechtsteden, the Alblasserwaard, Gorinchem and the Hoeksche Waard (one region).
_S_CODES: tuple[str, ...] = tuple(_TABLES["s_municipalities"])
#: M: the province of Utrecht without its smallest municipality, Renswoude.
_M_PROVINCE: str = _TABLES["m_province"]
_M_EXCLUDE = frozenset(_TABLES["m_exclude"])
#: Rough number of inhabitants in thousands (rounded, approximate, order of 2023-2024). Used only
#: as relative weights so that a large city contributes more specialists and asks more than a
#: village; municipalities not listed get a seeded weight typical of a Dutch municipality.
_APPROX_INHABITANTS_K: dict[str, int] = dict(_TABLES["approx_inhabitants_k"])
#: skill id -> (supply weight among internal specialists, demand pressure). Demand for a skill is
#: proportional to supply x pressure: pressure > 1 makes a skill scarce, < 1 leaves slack.
_SKILL_PROFILE: dict[str, tuple[float, float]] = {k: (v[0], v[1]) for k, v in _TABLES["skill_profile"].items()}
#: Deliberately vulnerable skills: held by exactly this many internal specialists, at most at the
#: given level, and by no partner consultant. Needs above that level have nobody qualified.
_RARE_SKILLS: dict[str, tuple[int, int]] = {k: (v[0], v[1]) for k, v in _TABLES["rare_skills"].items()}
#: Share of all requests that ask for a rare skill (within reach of its holders).
_RARE_DEMAND_SHARE = 0.012

_Template = tuple[str, tuple[str, ...], str]  # (title, companion skills, kind: project|incident)

#: main skill -> request title templates with their companion skills
_TEMPLATES: dict[str, tuple[_Template, ...]] = {
    skill: tuple((title, tuple(companions), kind) for title, companions, kind in rows)
    for skill, rows in _TABLES["templates"].items()
}
_APPS: tuple[str, ...] = tuple(_TABLES["apps"])
_SD_APPS: tuple[str, ...] = tuple(_TABLES["social_domain_apps"])
_AREAS: tuple[str, ...] = tuple(_TABLES["areas"])
_LOCATIONS: tuple[str, ...] = tuple(_TABLES["locations"])
_SURNAMES: tuple[str, ...] = tuple(_TABLES["surnames"])
_INITIALS: str = _TABLES["initials"]


def _select_municipalities(size: str, all_munis: list[Municipality]) -> list[Municipality]:
    by_code = {m.code: m for m in all_munis}
    if size == "S":
        return [by_code[c] for c in _S_CODES]
    if size == "M":
        return [m for m in all_munis if m.province == _M_PROVINCE and m.code not in _M_EXCLUDE]
    if size == "XL":
        return list(all_munis)
    # L: a national pool of 80, spread over all twelve provinces in proportion to their number of
    # municipalities; the larger cities first, the rest drawn with a fixed (seed-independent) draw
    # so that every L instance shares the same 80 municipalities.
    wanted = SIZES["L"].municipalities
    provinces = sorted({m.province for m in all_munis})
    counts = {p: sum(1 for m in all_munis if m.province == p) for p in provinces}
    exact = {p: wanted * counts[p] / len(all_munis) for p in provinces}
    quota = {p: int(exact[p]) for p in provinces}
    leftovers = sorted(provinces, key=lambda p: (-(exact[p] - quota[p]), p))
    for p in leftovers[: wanted - sum(quota.values())]:
        quota[p] += 1
    chosen: list[Municipality] = []
    for p in provinces:
        members = [m for m in all_munis if m.province == p]
        large = sorted(
            (m for m in members if _APPROX_INHABITANTS_K.get(m.code, 0) >= 90),
            key=lambda m: (-_APPROX_INHABITANTS_K[m.code], m.code),
        )[: quota[p]]
        rest = [m for m in members if m not in large]
        picker = random.Random(f"pool-L-{p}")
        chosen.extend(large + picker.sample(rest, quota[p] - len(large)))
    return sorted(chosen, key=lambda m: m.code)


def _municipality_weights(munis: list[Municipality], rng: random.Random) -> list[float]:
    weights = []
    for m in munis:
        known = _APPROX_INHABITANTS_K.get(m.code)
        # typical Dutch municipality: median ~ 28k inhabitants, long tail
        weights.append(float(known) if known is not None else min(85.0, rng.lognormvariate(3.3, 0.55)))
    return weights


# --------------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------------


def _weighted(rng: random.Random, items: tuple[Any, ...] | list[Any], weights: list[float]) -> Any:
    return rng.choices(items, weights=weights, k=1)[0]


def _weighted_sample(rng: random.Random, items: list[str], weights: list[float], k: int) -> list[str]:
    """k distinct items, drawn with probability proportional to weight (Efraimidis-Spirakis)."""
    keyed = sorted(((rng.random() ** (1.0 / w), i) for i, w in enumerate(weights)), reverse=True)
    return [items[i] for _, i in keyed[:k]]


def _name(rng: random.Random) -> str:
    first = rng.choice(_INITIALS)
    initials = f"{first}." if rng.random() < 0.85 else f"{first}.{rng.choice(_INITIALS)}."
    return f"{initials} {rng.choice(_SURNAMES)}"


def _iso_weeks(start: datetime.date, weeks: int) -> list[int]:
    return [(start + datetime.timedelta(weeks=w)).isocalendar()[1] for w in range(weeks)]


def _leave(rng: random.Random, iso: list[int], pool_hours: int) -> list[dict[str, int]]:
    """Holidays (summer, Christmas, May, spring) where the horizon covers them, personal leave and
    occasional home duties, as at most one entry per week."""
    weeks = len(iso)
    off: dict[int, int] = {}

    def take(week: int, hours: int) -> None:
        off[week] = min(pool_hours, off.get(week, 0) + hours)

    summer = [w for w in range(weeks) if 28 <= iso[w] <= 33]
    if summer and rng.random() < 0.9:
        length = rng.choice((2, 3, 3))
        first = rng.randint(28, 34 - length)
        for w in summer:
            if first <= iso[w] < first + length:
                take(w, pool_hours)
    christmas = [w for w in range(weeks) if iso[w] in (52, 53, 1)]
    if christmas and rng.random() < 0.6:
        take(rng.choice(christmas), pool_hours)
    may = [w for w in range(weeks) if iso[w] == 18]
    if may and rng.random() < 0.35:
        take(may[0], pool_hours)
    spring = [w for w in range(weeks) if iso[w] == 8]
    if spring and rng.random() < 0.25:
        take(spring[0], pool_hours)
    if rng.random() < 0.35:
        take(rng.randrange(weeks), pool_hours)
    if rng.random() < 0.3:  # home duties first: a peak at the home municipality
        for _ in range(rng.randint(1, 4)):
            take(rng.randrange(weeks), min(pool_hours, rng.choice((4, 4, 8))))
    return [{"week": w, "hours": off[w]} for w in sorted(off) if off[w] > 0]


# --------------------------------------------------------------------------------------------
# The generator
# --------------------------------------------------------------------------------------------

_POOL_HOURS = (4, 8, 12, 16, 24)
_POOL_HOURS_W = [8.0, 26.0, 20.0, 32.0, 14.0]
_N_SKILLS = (2, 3, 4, 5)
_N_SKILLS_W = [35.0, 35.0, 20.0, 10.0]
_PRIMARY_LEVEL_W = [0.0, 12.0, 40.0, 38.0, 10.0]  # levels 1..5
_OTHER_LEVEL_W = [30.0, 36.0, 24.0, 9.0, 1.0]
_NEED_LEVEL_W = [0.0, 34.0, 46.0, 20.0, 0.0]
_HOURS = (8, 16, 24, 32, 40, 60, 80, 120, 160)
_HOURS_W = [14.0, 16.0, 16.0, 10.0, 14.0, 10.0, 10.0, 6.0, 4.0]
_N_NEEDS_W = [72.0, 21.0, 7.0]  # 1, 2, 3 needs
_COMPANION_HOURS_FACTOR = 0.5  # extra needs of a request are smaller than the main one
_WINDOW = (1, 2, 3, 4, 5, 6, 8, 10, 12)
_WINDOW_W = [10.0, 16.0, 16.0, 15.0, 8.0, 12.0, 10.0, 6.0, 7.0]
_MAX_PER_WEEK = (8, 12, 16, 24, 32)
_MAX_PER_WEEK_W = [20.0, 10.0, 30.0, 25.0, 15.0]
#: critical, high, normal, low for projects; incidents are mostly critical, which brings the overall
#: mix to about 15 / 30 / 42 / 13 % like bench/sample-s.json
_PRIORITY_W = [9.0, 32.0, 45.0, 14.0]
_LEVELS = (1, 2, 3, 4, 5)


def _tilted_hours_weights(target_mean: float) -> list[float]:
    """Hour-bucket weights tilted (exponentially) so that the mean need size is ``target_mean``."""

    def weights(t: float) -> list[float]:
        return [w * math.exp(t * h / _HOURS[-1]) for w, h in zip(_HOURS_W, _HOURS, strict=True)]

    def mean(t: float) -> float:
        ws = weights(t)
        return sum(w * h for w, h in zip(ws, _HOURS, strict=True)) / sum(ws)

    lo, hi = -8.0, 8.0
    target = min(max(target_mean, mean(lo)), mean(hi))
    for _ in range(60):
        mid = (lo + hi) / 2
        if mean(mid) < target:
            lo = mid
        else:
            hi = mid
    return weights((lo + hi) / 2)


def _round_hours(hours: float) -> int:
    step = 8 if hours >= 16 else 4
    return max(4, int(round(hours / step)) * step)


def generate_instance(
    size: str,
    seed: int,
    requests: int | None = None,
    start: datetime.date | None = None,
    *,
    language: str = "nl",
) -> dict[str, Any]:
    """A believable, valid ``pool-instance/1`` document for a size of the scale ladder.

    ``requests`` overrides the ladder's number of requests (e.g. 2500 for the big M); the need
    sizes stay calibrated on the ladder's default, so more requests means a heavier load.
    ``start`` must be a Monday (default: 2027-01-04). ``language`` picks the skill names ("nl"
    or "en").
    """
    if size not in SIZES:
        raise ValueError(f"unknown size {size!r}; expected one of {', '.join(SIZES)}")
    if requests is not None and requests < 0:
        raise ValueError("requests must be >= 0")
    if language not in ("nl", "en"):
        raise ValueError("language must be 'nl' or 'en'")
    horizon_start = DEFAULT_START if start is None else start
    if horizon_start.weekday() != 0:
        raise ValueError(f"start {horizon_start.isoformat()} is not a Monday")
    spec = SIZES[size]
    n_requests = spec.requests if requests is None else requests
    weeks = spec.weeks
    rng = random.Random(seed)
    iso = _iso_weeks(horizon_start, weeks)
    year = (horizon_start + datetime.timedelta(weeks=weeks // 2)).year

    # ---- skills --------------------------------------------------------------------------
    catalogue = load_skills()
    skill_ids = [s.id for s in catalogue]
    common = [s for s in skill_ids if s in _SKILL_PROFILE]
    supply_w = [_SKILL_PROFILE[s][0] for s in common]

    # ---- municipalities ------------------------------------------------------------------
    munis = _select_municipalities(size, load_municipalities())
    muni_w = _municipality_weights(munis, rng)

    # ---- internal specialists ------------------------------------------------------------
    homes: list[int] = list(range(len(munis))) if spec.specialists >= len(munis) else []
    homes += rng.choices(range(len(munis)), weights=muni_w, k=spec.specialists - len(homes))
    rng.shuffle(homes)
    specialists: list[dict[str, Any]] = []
    for i, home in enumerate(homes):
        pool_hours = _weighted(rng, _POOL_HOURS, _POOL_HOURS_W)
        k = _weighted(rng, _N_SKILLS, _N_SKILLS_W)
        chosen = _weighted_sample(rng, common, supply_w, k)
        skills = {chosen[0]: _weighted(rng, _LEVELS, _PRIMARY_LEVEL_W)}
        for s in chosen[1:]:
            skills[s] = _weighted(rng, _LEVELS, _OTHER_LEVEL_W)
        specialists.append(
            {
                "id": f"S{i + 1:04d}",
                "name": _name(rng),
                "home": munis[home].code,
                "kind": "internal",
                "pool_hours_per_week": pool_hours,
                "skills": skills,
                "unavailable": _leave(rng, iso, pool_hours),
                "hourly_cost": 0,
            }
        )
    # the vulnerable skills go to a few specialists (different ones for each rare skill)
    rare_holders = rng.sample(range(len(specialists)), sum(n for n, _ in _RARE_SKILLS.values()))
    for rare, (count, top) in _RARE_SKILLS.items():
        for _ in range(count):
            holder = specialists[rare_holders.pop()]
            holder["skills"][rare] = rng.randint(max(1, top - 1), top)

    # ---- partner consultants -------------------------------------------------------------
    pressure_w = [_SKILL_PROFILE[s][0] * _SKILL_PROFILE[s][1] for s in common]
    for j in range(spec.partners):
        chosen = _weighted_sample(rng, common, pressure_w, rng.randint(3, 5))
        specialists.append(
            {
                "id": f"P{j + 1:03d}",
                "name": _name(rng),
                "home": None,
                "kind": "partner",
                "pool_hours_per_week": rng.choice((24, 32, 32, 36)),
                "skills": {s: _weighted(rng, _LEVELS, [0.0, 0.0, 30.0, 45.0, 25.0]) for s in chosen},
                "unavailable": [],
                "hourly_cost": rng.randrange(95, 141, 5),
            }
        )
    partner_capacity = sum(p["pool_hours_per_week"] for p in specialists if p["kind"] == "partner") * weeks
    partner = {
        "name": "Kennispartner BV",
        "budget_hours": max(100, int(round(0.35 * partner_capacity, -2))),
        "min_notice_weeks": rng.choice((1, 2)),
    }

    # ---- calibration: need sizes so that demand ~ TARGET_DEMAND_RATIO x net capacity ------
    internal = [s for s in specialists if s["kind"] == "internal"]
    net_capacity = sum(s["pool_hours_per_week"] * weeks - sum(u["hours"] for u in s["unavailable"]) for s in internal)
    mean_needs = sum((n + 1) * w for n, w in enumerate(_N_NEEDS_W)) / sum(_N_NEEDS_W)
    hours_per_main = 1 + (mean_needs - 1) * _COMPANION_HOURS_FACTOR
    target_mean = TARGET_DEMAND_RATIO * net_capacity / (spec.requests * hours_per_main)
    hours_w = _tilted_hours_weights(target_mean)

    # best level available per skill (internal and partner): a need above it has nobody
    best: dict[str, int] = {}
    for person in specialists:
        for sk, lvl in person["skills"].items():
            best[sk] = max(best.get(sk, 0), lvl)
    demand_w = [_SKILL_PROFILE[s][0] * _SKILL_PROFILE[s][1] for s in common]
    rare_ids = list(_RARE_SKILLS)
    n_impossible = max(2, n_requests // 150) if n_requests >= 20 else 0
    # skills that some need can ask above anyone's level (the rare ones first: they have templates)
    unreachable = [s for s in rare_ids if best.get(s, 0) < 5] or [s for s in common if best.get(s, 0) < 5]
    if not unreachable:
        n_impossible = 0
    impossible_at = set(rng.sample(range(n_requests), min(n_impossible, n_requests)))

    # ---- requests --------------------------------------------------------------------------
    request_w = [w**0.8 for w in muni_w]
    out_requests: list[dict[str, Any]] = []
    for r in range(n_requests):
        muni = _weighted(rng, munis, request_w)
        impossible = r in impossible_at
        if impossible:
            main = rng.choice(unreachable)
        elif rng.random() < _RARE_DEMAND_SHARE:
            main = rng.choice(rare_ids)
        else:
            main = _weighted(rng, common, demand_w)
        title_tpl, companions, kind = rng.choice(_TEMPLATES[main])
        title = title_tpl.format(
            year=year,
            app=rng.choice(_APPS),
            sdapp=rng.choice(_SD_APPS),
            area=rng.choice(_AREAS),
            location=rng.choice(_LOCATIONS),
        )
        incident = kind == "incident"

        n_needs = 1 if incident and rng.random() < 0.6 else _weighted(rng, (1, 2, 3), _N_NEEDS_W)
        need_skills = [main] + [c for c in companions if c != main][: n_needs - 1]
        needs: list[dict[str, Any]] = []
        for n_index, sk in enumerate(need_skills):
            level = _weighted(rng, _LEVELS, _NEED_LEVEL_W)
            if sk in _RARE_SKILLS:
                level = max(1, min(level, best.get(sk, 1)))
            if impossible and n_index == 0:
                level = best.get(sk, 0) + 1
            hours = _weighted(rng, _HOURS, hours_w)
            if n_index > 0:
                hours = _round_hours(hours * _COMPANION_HOURS_FACTOR)
            if incident:
                hours = min(hours, rng.choice((16, 24, 40)))
            needs.append({"skill": sk, "min_level": level, "hours": hours})
        total = sum(n["hours"] for n in needs)

        if incident:
            window = rng.choice((1, 1, 2))
            priority = 1 if rng.random() < 0.7 else 2
        else:
            window = _weighted(rng, _WINDOW, _WINDOW_W)
            priority = _weighted(rng, (1, 2, 3, 4), _PRIORITY_W)
        max_per_week = _weighted(rng, _MAX_PER_WEEK, _MAX_PER_WEEK_W)
        if window * max_per_week < total and rng.random() < 0.95:
            # most team leads give the work room to fit; a few windows stay too short
            window = min(12, weeks, max(window, math.ceil(total / max_per_week)))
            if window * max_per_week < total:
                max_per_week = min(32, 8 * math.ceil(total / window / 8))
        window = min(window, weeks)
        start_week = rng.randint(0, weeks - window)
        out_requests.append(
            {
                "id": f"R{r + 1:05d}",
                "municipality": muni.code,
                "title": title,
                "needs": needs,
                "start_week": start_week,
                "end_week": start_week + window - 1,
                "max_hours_per_week": max_per_week,
                "priority": priority,
                "allow_partner": rng.random() < 0.5,
                "all_or_nothing": rng.random() < 0.15,
            }
        )

    committed = {m.code: 0 for m in munis}
    for person in internal:
        committed[person["home"]] += person["pool_hours_per_week"]
    names = {s.id: (s.name_nl if language == "nl" else s.name_en) for s in catalogue}
    return {
        "format": "pool-instance/1",
        "horizon": {"start": horizon_start.isoformat(), "weeks": weeks},
        "skills": [{"id": sid, "name": names[sid]} for sid in skill_ids],
        "municipalities": [
            {"id": m.code, "name": m.name, "committed_hours_per_week": committed[m.code]} for m in munis
        ],
        "specialists": specialists,
        "partner": partner,
        "requests": out_requests,
        "previous_plan": [],
    }
