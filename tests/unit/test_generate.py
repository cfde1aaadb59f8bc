from __future__ import annotations

import datetime
import json
import re
from collections import Counter
from importlib import resources
from typing import Any

import jsonschema
import pytest

from pool.generate import SIZES, generate_instance, load_municipalities, load_skills


def _schema() -> dict[str, Any]:
    text = resources.files("pool").joinpath("formats/schemas/pool-instance-1.json").read_text("utf-8")
    return dict(json.loads(text))


def _check_valid(doc: dict[str, Any]) -> None:
    jsonschema.validate(doc, _schema())
    assert list(doc) == [
        "format",
        "horizon",
        "skills",
        "municipalities",
        "specialists",
        "partner",
        "requests",
        "previous_plan",
    ]
    assert doc["previous_plan"] == []
    start = datetime.date.fromisoformat(doc["horizon"]["start"])
    assert start.weekday() == 0
    weeks = doc["horizon"]["weeks"]
    skill_ids = [s["id"] for s in doc["skills"]]
    muni_ids = [m["id"] for m in doc["municipalities"]]
    spec_ids = [s["id"] for s in doc["specialists"]]
    req_ids = [r["id"] for r in doc["requests"]]
    for ids in (skill_ids, muni_ids, spec_ids, req_ids):
        assert len(ids) == len(set(ids))
    skills, munis = set(skill_ids), set(muni_ids)
    committed: Counter[str] = Counter()
    for s in doc["specialists"]:
        assert set(s["skills"]) <= skills
        assert all(1 <= lvl <= 5 for lvl in s["skills"].values())
        assert all(0 <= u["week"] < weeks and u["hours"] >= 0 for u in s["unavailable"])
        if s["kind"] == "internal":
            assert s["home"] in munis and s["hourly_cost"] == 0
            committed[s["home"]] += s["pool_hours_per_week"]
        else:
            assert s["kind"] == "partner" and s["home"] is None and 95 <= s["hourly_cost"] <= 140
    for m in doc["municipalities"]:
        assert m["committed_hours_per_week"] == committed[m["id"]]
    for r in doc["requests"]:
        assert r["municipality"] in munis
        assert 0 <= r["start_week"] <= r["end_week"] < weeks
        assert 1 <= r["priority"] <= 4
        assert r["title"].strip()
        for n in r["needs"]:
            assert n["skill"] in skills and 1 <= n["min_level"] <= 5 and n["hours"] > 0


def test_same_seed_gives_identical_document() -> None:
    a = json.dumps(generate_instance("S", 7), sort_keys=False)
    b = json.dumps(generate_instance("S", 7), sort_keys=False)
    assert a == b


def test_different_seed_gives_different_document() -> None:
    assert generate_instance("S", 1) != generate_instance("S", 2)


@pytest.mark.parametrize("size", ["S", "M"])
def test_ladder_counts_and_validity(size: str) -> None:
    spec = SIZES[size]
    doc = generate_instance(size, 3)
    _check_valid(doc)
    internal = [s for s in doc["specialists"] if s["kind"] == "internal"]
    partners = [s for s in doc["specialists"] if s["kind"] == "partner"]
    assert len(doc["municipalities"]) == spec.municipalities
    assert len(internal) == spec.specialists
    assert len(partners) == spec.partners
    assert len(doc["requests"]) == spec.requests
    assert doc["horizon"] == {"start": "2027-01-04", "weeks": spec.weeks}


def test_requests_override_and_start() -> None:
    doc = generate_instance("M", 1, requests=2500, start=datetime.date(2027, 3, 1))
    assert len(doc["requests"]) == 2500
    assert doc["horizon"]["start"] == "2027-03-01"
    _check_valid(doc)
    with pytest.raises(ValueError):
        generate_instance("S", 1, start=datetime.date(2027, 3, 2))
    with pytest.raises(ValueError):
        generate_instance("XXL", 1)


@pytest.mark.parametrize("size", ["L", "XL"])
def test_large_sizes_counts(size: str) -> None:
    # how fast the generator is, is a benchmark's business, not a test's (a busy machine would fail it)
    spec = SIZES[size]
    doc = generate_instance(size, 11)
    assert len(doc["municipalities"]) == spec.municipalities
    assert sum(s["kind"] == "internal" for s in doc["specialists"]) == spec.specialists
    assert len(doc["requests"]) == spec.requests
    assert doc["horizon"]["weeks"] == spec.weeks
    _check_valid(doc)


def test_municipality_data_is_real_shaped() -> None:
    munis = load_municipalities()
    codes = [m.code for m in munis]
    assert len(munis) == 342
    assert len(set(codes)) == 342
    assert all(re.fullmatch(r"GM\d{4}", c) for c in codes)
    by_code = {m.code: m for m in munis}
    assert by_code["GM0505"].name == "Dordrecht"
    assert by_code["GM0363"].name == "Amsterdam"
    assert by_code["GM1992"].name == "Voorne aan Zee"
    assert len({m.province for m in munis}) == 12
    assert sum(m.province == "Utrecht" for m in munis) == 26


def test_generated_municipality_ids_are_cbs_codes() -> None:
    doc = generate_instance("S", 5)
    ids = [m["id"] for m in doc["municipalities"]]
    assert all(re.fullmatch(r"GM\d{4}", i) for i in ids)
    assert len(set(ids)) == len(ids)
    assert "Dordrecht" in {m["name"] for m in doc["municipalities"]}


def test_skill_catalogue() -> None:
    skills = load_skills()
    assert 25 <= len(skills) <= 30
    assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", s.id) for s in skills)
    assert "bio-security" in {s.id for s in skills}


@pytest.mark.parametrize("size", ["S", "M"])
def test_vulnerable_and_unreachable_skills(size: str) -> None:
    doc = generate_instance(size, 4)
    holders = Counter(k for s in doc["specialists"] if s["kind"] == "internal" for k in s["skills"])
    assert 1 in holders.values()  # some skill held by a single specialist
    best: dict[str, int] = {}
    for s in doc["specialists"]:
        for k, lvl in s["skills"].items():
            best[k] = max(best.get(k, 0), lvl)
    unreachable = [n for r in doc["requests"] for n in r["needs"] if n["min_level"] > best.get(n["skill"], 0)]
    assert 1 <= len(unreachable) <= len(doc["requests"]) // 20


def test_demand_is_tight_but_not_absurd() -> None:
    doc = generate_instance("S", 9)
    weeks = doc["horizon"]["weeks"]
    internal = [s for s in doc["specialists"] if s["kind"] == "internal"]
    capacity = sum(s["pool_hours_per_week"] * weeks - sum(u["hours"] for u in s["unavailable"]) for s in internal)
    demand = sum(n["hours"] for r in doc["requests"] for n in r["needs"])
    assert 0.3 < demand / capacity < 0.55
    priorities = Counter(r["priority"] for r in doc["requests"])
    assert all(priorities[p] > 0 for p in (1, 2, 3, 4))
