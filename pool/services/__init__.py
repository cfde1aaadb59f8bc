"""Use cases: each takes a session, does its work and is the only place that commits."""
