"""Running CP-SAT: parameters per mode, progress reports and stopping on request."""

from __future__ import annotations

import bisect
import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from ortools.sat.python import cp_model

from solver.config import PlanningConfig
from solver.result import Progress


def make_solver(config: PlanningConfig, seconds: float, big: bool = False, presolve: bool = True) -> cp_model.CpSolver:
    """Return a solver set up for the configured mode.

    Several workers under a wall-clock limit are not deterministic; the reproducible mode interleaves the
    workers and stops on deterministic time instead, with a generous wall clock only as a safety net.
    """
    solver = cp_model.CpSolver()
    p = solver.parameters
    p.num_workers = max(1, config.workers)
    p.random_seed = config.seed
    p.log_search_progress = config.log_search
    # the inclusion detection of presolve costs seconds of wall clock on these models and finds little
    p.presolve_inclusion_work_limit = 1_000_000
    if not presolve:
        # a goal step starts from a complete, feasible hint: searching at once beats presolving again
        p.cp_model_presolve = False
    elif big:
        # one cheap presolve pass: on 2 cores the full presolve of an M model eats most of the time limit
        p.max_presolve_iterations = 1
        p.symmetry_level = 0
        p.cp_model_probing_level = 0
    if config.reproducible:
        p.interleave_search = True
        p.max_deterministic_time = max(0.1, seconds)
        p.max_time_in_seconds = max(1.0, 5 * seconds)
    else:
        p.max_time_in_seconds = max(0.05, seconds)
    return solver


class ProgressReporter(cp_model.CpSolverSolutionCallback):
    """Reports each improving solution of a step to the caller."""

    def __init__(
        self,
        step: str,
        started: float,
        on_progress: Callable[[Progress], None] | None,
        fill: cp_model.LinearExprT,
        fill_offset: int,
        objective_offset: float = 0.0,
        sign: float = 1.0,
        target: int | None = None,
        scale: int = 1,
        goal: str | None = None,
        by_priority: dict[int, tuple[cp_model.LinearExprT, int]] | None = None,
    ) -> None:
        super().__init__()
        self.step = step
        self.started = started
        self.on_progress = on_progress
        self.fill = fill
        self.fill_offset = fill_offset
        self.objective_offset = objective_offset
        self.sign = sign
        self.solutions = 0
        self.goal = goal
        self.by_priority = by_priority or {}
        self.scale = scale  # the objective is this many times the reported figure (the fill step's tie-break)
        self.target = target  # a fill known to be the best possible (an upper bound): the search stops there
        self.reached = False
        self.last_found = time.monotonic()  # when the last improving solution came
        self.best_figure = -math.inf  # the best reported figure so far (objective ÷ scale, rounded up) …
        self.last_figure_found = self.last_found  # … and when it last improved (not just the tie-break)
        self.found_at: list[float] = []  # when each improving solution came …
        self.objectives: list[float] = []  # … and its objective value
        self.stalled = False  # stopped because nothing better came for a while

    def on_solution_callback(self) -> None:
        self.solutions += 1
        self.last_found = time.monotonic()
        self.found_at.append(self.last_found)
        self.objectives.append(self.objective_value)
        # with a tie-break of fewer than `scale` points, objective ÷ scale rounded up is the figure itself
        figure = math.ceil(self.sign * self.objective_value / self.scale - 1e-9)
        if figure > self.best_figure:
            self.best_figure, self.last_figure_found = figure, self.last_found
        if self.target is not None and self.value(self.fill) >= self.target:
            self.reached = True
            self.stop_search()
        if self.on_progress is None:
            return
        self.on_progress(
            Progress(
                step=self.step,
                seconds=round(time.monotonic() - self.started, 3),
                objective=self.sign * self.objective_value / self.scale + self.objective_offset,
                bound=self.sign * self.best_objective_bound / self.scale + self.objective_offset,
                weighted_fill=int(self.value(self.fill)) + self.fill_offset,
                goal=self.goal,
                filled_by_priority={p: int(self.value(e)) + f for p, (e, f) in self.by_priority.items()} or None,
            )
        )


@dataclass(frozen=True)
class Stall:
    """When a search that has a solution stops before its time is up.

    After `quiet` seconds without a better solution (`on_fill`: without a better reported figure, the fill of
    the fill step, whatever its tie-break still gains); and, with a `window`, as soon as the objective
    improved by less than `share` of itself over the last `window` seconds (a search that only creeps on).
    """

    quiet: float
    window: float | None = None
    share: float = 0.0
    on_fill: bool = False

    def reached(self, reporter: ProgressReporter, now: float) -> bool:
        if reporter.solutions == 0:
            return False
        last = reporter.last_figure_found if self.on_fill else reporter.last_found
        if now - last > self.quiet:
            return True
        if self.window is None or now - reporter.found_at[0] < self.window:
            return False
        before = reporter.objectives[bisect.bisect_right(reporter.found_at, now - self.window) - 1]
        latest = reporter.objectives[-1]
        return abs(before - latest) <= self.share * max(1.0, abs(latest))


def run(
    model: cp_model.CpModel,
    solver: cp_model.CpSolver,
    reporter: ProgressReporter,
    stop: threading.Event | None,
    stall: Stall | None = None,
) -> cp_model.CpSolverStatus:
    """Solve, stopping early when `stop` is set or when, after a first solution, the search stalls (Stall);
    the best solution found so far stays available."""
    done = threading.Event()
    watcher = None
    if stop is not None or stall is not None:

        def watch() -> None:
            while not done.wait(0.05):
                stalled = stall is not None and stall.reached(reporter, time.monotonic())
                if (stop is not None and stop.is_set()) or stalled:
                    reporter.stalled = stalled
                    solver.stop_search()
                    return

        watcher = threading.Thread(target=watch, daemon=True)
        watcher.start()
    try:
        return solver.solve(model, reporter)
    finally:
        done.set()
        if watcher is not None:
            watcher.join()
