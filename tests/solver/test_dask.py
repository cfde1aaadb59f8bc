"""The independent parts on Dask: on the scheduler POOL_DASK_SCHEDULER names, when it names one."""

from __future__ import annotations

import pytest
from distributed import LocalCluster

import solver
import solver.parallel
from solver.cluster import SCHEDULER_ENV
from tests.solver.test_decompose import two_regions


@pytest.mark.slow
def test_parts_run_on_the_named_scheduler(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(solver.parallel, "TINY_PART", 0)  # even tiny parts go to Dask
    inst = two_regions()
    config = solver.PlanningConfig(time_limit=10.0, reproducible=True)
    with LocalCluster(n_workers=1, threads_per_worker=1, dashboard_address=":0") as cluster:
        monkeypatch.setenv(SCHEDULER_ENV, cluster.scheduler_address)
        result = solver.solve(inst, config)
        assert "solve_bin" in cluster.scheduler.task_prefixes  # dask drops the leading underscore
    assert result.solver["parts"] == 2
    assert solver.validate(inst, result.assignments) == []
    alone = solver.planner.solve(inst, config)
    assert result.kpis["weighted_fill"] == alone.kpis["weighted_fill"]
