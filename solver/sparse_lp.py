"""A linear programme held as plain arrays and loaded into GLOP in one piece.

Adding a column or a row here is a list append; the model goes to the solver as one MPModelProto, and the
solution comes back as one array. Calling the solver's Python wrapper per variable and per coefficient (as
`pywraplp` invites) took most of the LP's time on the larger instances.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from ortools.linear_solver import linear_solver_pb2, pywraplp


class SparseLp:
    """Columns with bounds and objective coefficients; rows lb ≤ Σ coefficient × column ≤ ub; maximised."""

    def __init__(self) -> None:
        self.upper: list[float] = []
        self.gain: list[float] = []
        self.rows: list[tuple[float, float, Sequence[int], Sequence[float] | None]] = []
        self.solver: pywraplp.Solver | None = None
        self.values = np.zeros(0)
        self.objective = 0.0

    def column(self, upper: float, gain: float = 0.0) -> int:
        """A new column in [0, upper] with this objective coefficient; returns its index."""
        self.upper.append(float(upper))
        self.gain.append(float(gain))
        return len(self.upper) - 1

    def columns(self, uppers: Sequence[float], gain: float = 0.0) -> range:
        """New columns in [0, upper] each, all with this objective coefficient; returns their indices."""
        first = len(self.upper)
        self.upper.extend(uppers)
        self.gain.extend([float(gain)] * len(uppers))
        return range(first, len(self.upper))

    def row(
        self, lower: float, upper: float, columns: Sequence[int], coefficients: Sequence[float] | None = None
    ) -> None:
        """lower ≤ Σ coefficient × column ≤ upper (every coefficient 1 when none are given)."""
        self.rows.append((lower, upper, columns, coefficients))

    def _proto(self) -> linear_solver_pb2.MPModelProto:
        proto = linear_solver_pb2.MPModelProto(maximize=True)
        add = proto.variable.add
        for ub, gain in zip(self.upper, self.gain, strict=True):
            add(lower_bound=0.0, upper_bound=ub, objective_coefficient=gain)
        for lower, upper, columns, coefficients in self.rows:
            c = proto.constraint.add(lower_bound=lower, upper_bound=upper)
            c.var_index.extend(columns)
            c.coefficient.extend([1.0] * len(columns) if coefficients is None else coefficients)
        return proto

    def solve(self, time_limit: float | None = None) -> bool:
        """Solve (again, from the last basis, after set_bounds); whether an optimum was found."""
        if self.solver is None:
            solver = pywraplp.Solver.CreateSolver("GLOP")
            if solver is None:  # pragma: no cover - GLOP ships with ortools
                raise RuntimeError("GLOP is not available")
            error = solver.LoadModelFromProto(self._proto())
            if error:  # pragma: no cover - the proto is built here
                raise RuntimeError(f"the LP could not be loaded: {error}")
            self.solver = solver
        if time_limit is not None:
            self.solver.SetTimeLimit(max(1, int(time_limit * 1000)))
        if self.solver.Solve() != pywraplp.Solver.OPTIMAL:
            return False
        response = linear_solver_pb2.MPSolutionResponse()
        self.solver.FillSolutionResponseProto(response)
        self.values = np.asarray(response.variable_value, dtype=float)
        self.objective = self.solver.Objective().Value()
        return True

    def set_bounds(self, columns: Sequence[int], lower: float, upper: float) -> None:
        """Change the bounds of columns of a model solved before (for a re-solve from its basis)."""
        assert self.solver is not None, "solve first"
        for j in columns:
            self.solver.variable(j).SetBounds(lower, upper)


INF = math.inf
