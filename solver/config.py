"""Configuration of the planner: every weight and every knob, none hard-coded in the rules."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Weights:
    """Weights of the goals after the fill step; fill itself is weighted by request priority."""

    fill: int = 100  # per priority-weighted hour, in the score analysis (the planner puts fill first)
    partner_cost: int = 1  # per euro paid to the partner
    fairness: int = 2000  # per permille of the worst municipality's fill ratio on fillable demand
    fairness_spread: int = 200  # per permille between the best and the worst municipality
    continuity: int = 2000  # per extra specialist used on a need
    stability: int = 300  # per hour moved away from the previous plan
    home_municipality: int = 2  # per hour a specialist works for another municipality
    senior_on_junior: int = 4  # per hour per level above min_level + senior_margin


@dataclass(frozen=True)
class PlanningConfig:
    """How to plan: goal weights, frozen horizon and solver settings."""

    weights: Weights = field(default_factory=Weights)
    frozen_weeks: int = 0  # previous-plan assignments in weeks < N stay; nothing new there
    time_limit: float = 10.0  # seconds of wall clock for the whole solve
    workers: int = 2
    seed: int = 0
    reproducible: bool = False  # deterministic time limit + interleaved search: same input, same plan
    fill_tolerance: float = 0.0  # share of the best fill found that the goals after fill may give up
    goal_tolerance: float = 0.0  # share of a goal step's value that the steps after it may give up
    # the goals after fill, one step each, in the policy's order (names of solver.rules' terms)
    goal_steps: tuple[tuple[str, ...], ...] = (
        ("partner_cost",),
        ("fairness", "fairness_spread"),
        ("continuity",),
        ("stability",),
        ("home_municipality", "senior_on_junior"),
    )
    # a re-plan keeps the published plan first: stability straight after fill
    replan_goal_steps: tuple[tuple[str, ...], ...] = (
        ("stability",),
        ("partner_cost",),
        ("fairness", "fairness_spread"),
        ("continuity",),
        ("home_municipality", "senior_on_junior"),
    )
    goal_dominance: int = 1000  # a goal step's own goals weigh this much more than the later ones (tie-breakers)
    stall_share: float = 0.02  # a search step stops when it found nothing better for this part of the limit
    stall_min_seconds: float = 1.5  # … but never sooner than this (CP-SAT's neighbourhoods improve about once a second)
    goal_stall_window: float = 0.3  # a goal step also stops when over this many seconds its objective improved …
    goal_stall_share: float = 0.0005  # … by less than this share of itself
    lp_time_share: float = 0.15  # at most this part of the time limit for the LP that guides the model
    lp_dive_rounds: int = 3  # re-solves of the LP with its all-or-nothing switches rounded, for a start plan
    fill_time_share: float = 0.3  # at most this part of the time limit for the fill step
    repair_share: float = 0.03  # at most this part of the time limit for the fairness repair
    reserve_share: float = 0.06  # part of the time limit kept back for work after the last search
    candidates_per_need: int = 8  # best K qualified specialists kept per need (plus greedy's and previous)
    candidates_per_need_large: int = 4  # the same on large instances
    light_presolve: int = 20_000  # model variables from which CP-SAT presolves once, lightly (seconds saved)
    background_fillable: int = 100_000  # eligible triples from which fillable demand is computed alongside
    large_model: int = 1_000_000  # need × specialist × week triples from which an instance counts as large
    senior_margin: int = 1  # a level this far above the minimum is no waste
    fairness_steps: int = 1000  # resolution of fill ratios (permille)
    log_search: bool = False
    # national scale (solver.national): from this many need × qualified specialist × window week, estimated
    national_triples: int = 20_000_000
    national_block_weeks: int = 6  # a neighbourhood: the requests starting in a block of this many weeks
    national_step_seconds: float = 60.0  # at most this long per round of neighbourhoods
    national_goals_share: float = 0.72  # the neighbourhoods' goal steps end by this part of the time limit
    national_goal_stall_seconds: float = 8.0  # a neighbourhood's goal step ends after this long with nothing better
    national_reserve_seconds: float = 20.0  # kept back at least for the reasons, KPIs and score of a national plan
