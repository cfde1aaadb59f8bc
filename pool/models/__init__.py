"""The domain model, mapped with SQLAlchemy 2."""

from pool.models.account import ROLES, AuditEvent, User
from pool.models.base import Base
from pool.models.notification import Notification
from pool.models.operations import JOB_RUN_STATUSES, JobRun, JobSchedule, LedgerClose, SchedulerLease, apscheduler_jobs
from pool.models.organisation import Contribution, Cooperation, Municipality, PartnerContract, Skill
from pool.models.plan import PLAN_STATUSES, Assignment, Plan, UnmetNeed
from pool.models.request import PRIORITIES, REQUEST_STATUSES, Need, Request
from pool.models.run import ACTIVE_RUN_STATUSES, RUN_METHODS, RUN_STATUSES, PlannerRun
from pool.models.scenario import Scenario
from pool.models.skill_change import SKILL_CHANGE_STATUSES, SkillChange
from pool.models.specialist import SPECIALIST_KINDS, UNAVAILABILITY_KINDS, Specialist, SpecialistSkill, Unavailability
from pool.models.throttle import LoginThrottle

__all__ = [
    "ACTIVE_RUN_STATUSES", "JOB_RUN_STATUSES", "PLAN_STATUSES", "PRIORITIES", "REQUEST_STATUSES", "ROLES",
    "RUN_METHODS", "RUN_STATUSES", "SKILL_CHANGE_STATUSES", "SPECIALIST_KINDS", "UNAVAILABILITY_KINDS", "Assignment",
    "AuditEvent", "Base", "Contribution", "Cooperation", "JobRun", "JobSchedule", "LedgerClose", "LoginThrottle",
    "Municipality", "Need", "Notification", "PartnerContract", "Plan", "PlannerRun", "Request", "Scenario",
    "SchedulerLease",
    "Skill", "SkillChange", "Specialist", "SpecialistSkill", "Unavailability", "UnmetNeed", "User",
    "apscheduler_jobs",
]
