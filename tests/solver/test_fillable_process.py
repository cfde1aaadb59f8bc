"""The fillable demand's process: shut down with the solve, also when the solve raises before it waited."""

from __future__ import annotations

import multiprocessing

import pytest

import solver
from solver import planner
from solver.pipeline.fillable import fillable_started
from solver.prepared import prepare
from tests.solver.conftest import instance, req, spec


def _config() -> solver.PlanningConfig:
    return solver.PlanningConfig(background_fillable=0, workers=2)  # a process of its own however small


def _inst() -> solver.Instance:
    return instance([spec("A", {"net": 3})], [req("R", [("net", 1, 32)], maxpw=8)])


def test_the_process_computes_the_fillable_demand() -> None:
    with fillable_started(prepare(_inst()), _config()) as fillable:
        assert multiprocessing.active_children()  # computed alongside, not in this process
        assert fillable() == {"A": 32.0}
    _ended()


def _ended() -> None:
    for process in multiprocessing.active_children():
        process.join(60)  # shut down, it ends once its LPs are done (a process never shut down waits on)
    assert multiprocessing.active_children() == []


def test_a_solve_that_raises_before_waiting_ends_the_process(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(_run: object) -> None:
        raise RuntimeError("start plans failed")

    monkeypatch.setattr(planner, "start_plans", broken)
    with pytest.raises(RuntimeError, match="start plans failed"):
        solver.solve(_inst(), _config())
    _ended()
