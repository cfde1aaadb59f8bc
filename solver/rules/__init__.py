"""One module per rule of the planning policy; solver.rules.registry lists them for everyone who reads them.

Eligibility (skill level, window, partner permission and notice, frozen weeks) decides who may work on which
need in which weeks; the hard rules add constraints to the model; the goals add a weighted term and score
any finished plan on their own, for the per-rule breakdown of the objective.
"""
