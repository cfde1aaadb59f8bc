"""Domain model, persistence and services of the pooled-expertise planner."""
