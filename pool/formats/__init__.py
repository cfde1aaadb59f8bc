"""The exchange formats pool-instance/1 and pool-plan/1: strict validation with JSON paths."""

from pool.formats.instance import validate_instance
from pool.formats.plan import validate_plan

__all__ = ["validate_instance", "validate_plan"]
