"""Registers the heartbeat scenarios with the generator (see scenarios/__init__.py)."""
from .scenarios import heartbeat_negatives, heartbeat_variant, heartbeats

SCENARIOS = {"heartbeats": heartbeats.build, "heartbeat_negatives": heartbeat_negatives.build,
             "heartbeat_variant": heartbeat_variant.build}
BUNDLED = [("heartbeats", "heartbeats", 24), ("heartbeat_negatives", "heartbeat_negatives", 25)]
