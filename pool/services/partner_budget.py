"""The partner contract's budget of hours against its use, week by week over the contract period."""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pool.models import Assignment, Plan, Specialist
from pool.models.organisation import PartnerContract
from pool.services.exchange import cooperation, partner_contract, published_plan
from pool.weeks import monday, week_start


@dataclass(frozen=True)
class BudgetWeek:
    week: dt.date  # the Monday
    published: int  # partner hours that week in the published plan
    planned: int  # partner hours that week in the newest draft (the published plan's without a draft)
    published_total: int  # cumulative
    planned_total: int


@dataclass(frozen=True)
class PartnerBudget:
    contract: PartnerContract | None
    draft: Plan | None
    weeks: list[BudgetWeek]
    pace: float  # published partner hours per week over the weeks that have any plan
    runs_out: dt.date | None  # the Monday of the week the budget is used up at that pace
    notice_by: dt.date | None  # the Monday by which notice must be given to end or extend before it runs out

    @property
    def left(self) -> int:
        used = self.weeks[-1].published_total if self.weeks else 0
        return (self.contract.budget_hours if self.contract else 0) - used


def _partner_hours(session: Session, plan: Plan | None) -> dict[dt.date, int]:
    if plan is None:
        return {}
    rows = session.execute(
        select(Assignment.week, func.sum(Assignment.hours))
        .join(Specialist, Specialist.id == Assignment.specialist_id)
        .where(Assignment.plan_id == plan.id, Specialist.kind == "partner")
        .group_by(Assignment.week)
    )
    return defaultdict(int, {week: int(hours) for week, hours in rows})


def partner_budget(session: Session) -> PartnerBudget:
    coop = cooperation(session)
    contract = partner_contract(session, coop.horizon_start, coop.horizon_weeks)
    published = published_plan(session)
    draft = session.scalars(select(Plan).where(Plan.status == "draft").order_by(Plan.id.desc())).first()
    if contract is None:
        return PartnerBudget(None, draft, [], 0.0, None, None)
    first = monday(contract.valid_from)
    last = monday(contract.valid_to) if contract.valid_to else week_start(coop.horizon_start, coop.horizon_weeks - 1)
    done = _partner_hours(session, published)
    planned = _partner_hours(session, draft) if draft else done
    weeks: list[BudgetWeek] = []
    p_total = d_total = 0
    w = first
    while w <= last:
        p_total, d_total = p_total + done[w], d_total + planned[w]
        weeks.append(BudgetWeek(w, done[w], planned[w], p_total, d_total))
        w += dt.timedelta(weeks=1)
    covered = [b for b in weeks if published and published.horizon_start <= b.week
               < week_start(published.horizon_start, published.horizon_weeks)]
    pace = sum(b.published for b in covered) / len(covered) if covered else 0.0
    runs_out = notice_by = None
    if pace > 0:
        runs_out = first + dt.timedelta(weeks=max(0, math.ceil(contract.budget_hours / pace) - 1))
        notice_by = runs_out - dt.timedelta(weeks=contract.min_notice_weeks)
    return PartnerBudget(contract, draft, weeks, round(pace, 1), runs_out, notice_by)
