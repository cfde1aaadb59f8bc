"""The planner at national scale (hundreds of municipalities, thousands of specialists, a year of weeks).

`solver.solve` comes here when the instance's estimated need × specialist × week triples reach
`PlanningConfig.national_triples`: arrays instead of listed eligibility (tables), the greedy orders with a
vectorised ranking (greedy), candidate pairs (prepare), a simple bound (bounds), and large-neighbourhood
search by windows of weeks on Dask (neighbourhoods, lns, solve).
"""
