"""Registers the identity scenarios (who each device is, where it calls) with the generator:
see scenarios/__init__.py."""
from .scenarios import identity, identity_variant

SCENARIOS = {"identity": identity.build, "identity_variant": identity_variant.build}
BUNDLED = [("identity", "identity", 26)]
