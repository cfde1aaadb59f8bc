"""The planner's stages, one module each, run in order by solver.planner.solve.

starts (the greedy orders and the LP's plans) → fill (CP-SAT, the most priority-weighted fill) → repairs
(cheap local improvements of the fullest plan) → goal steps (each later goal optimised in policy order at
the fill found, lexicographically) → choice (the plan returned).
"""
