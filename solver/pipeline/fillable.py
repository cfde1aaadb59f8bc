"""Each municipality's fillable demand, computed alongside the start plans on big instances.

Its LPs (one per municipality that the greedy plan cannot show to be served in full) take as long as the
fill LP on big instances and depend on nothing the start plans do, so there they run in a process of their
own while this one plans the starts: on two cores the set-up then takes the longer of the two, not the sum.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager

from solver.config import PlanningConfig
from solver.lp_bound import fillable_by_municipality
from solver.prepared import Prepared


@contextmanager
def fillable_started(
    prep: Prepared, config: PlanningConfig, in_process: bool = False
) -> Iterator[Callable[[], dict[str, float]]]:
    """Start computing the fillable demand; the function given waits for it. Leaving the block shuts the
    process down, also when the solve raised before it waited (the process then ends after its LPs).

    `in_process` computes it here and now: a re-plan's other stages are too short to hide a process's start.
    """
    triples = sum(len(w) for w in prep.eligible_weeks.values())
    # a process of its own only where it pays for its start (about a second), and never from inside a
    # process that is itself one of a pool's (the parts of an instance planned side by side)
    alone = triples < config.background_fillable or multiprocessing.current_process().name != "MainProcess"
    if alone or in_process or config.workers < 2:
        yield lambda: fillable_by_municipality(prep.instance, prep)  # computed when waited for
        return
    pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"))
    future = pool.submit(fillable_by_municipality, prep.instance)
    try:
        yield future.result
    finally:
        pool.shutdown(wait=future.done(), cancel_futures=True)  # a solve that raised need not wait for the LPs
