"""The domain model, mapped with SQLAlchemy 2."""

from pool.models.account import ROLES, AuditEvent, User
from pool.models.base import Base
from pool.models.organisation import Contribution, Cooperation, Municipality, PartnerContract, Skill
from pool.models.plan import PLAN_STATUSES, Assignment, Plan, UnmetNeed
from pool.models.request import PRIORITIES, REQUEST_STATUSES, Need, Request
from pool.models.specialist import SPECIALIST_KINDS, Specialist, SpecialistSkill, Unavailability

__all__ = [
    "PLAN_STATUSES", "PRIORITIES", "REQUEST_STATUSES", "ROLES", "SPECIALIST_KINDS",
    "Assignment", "AuditEvent", "Base", "Contribution", "Cooperation", "Municipality", "Need",
    "PartnerContract", "Plan", "Request", "Skill", "Specialist", "SpecialistSkill", "Unavailability",
    "UnmetNeed", "User",
]
