"""Registers the P2P scenarios (Kalay and PPPP) with the generator: see scenarios/__init__.py."""
from .scenarios import kalay, p2p_negatives, p2p_variant, pppp, pppp_recovery

SCENARIOS = {"kalay": kalay.build, "pppp": pppp.build, "p2p_variant": p2p_variant.build,
             "p2p_negatives": p2p_negatives.build, "pppp_recovery": pppp_recovery.build}
BUNDLED = [("kalay", "kalay", 21), ("pppp", "pppp", 22), ("p2p_negatives", "p2p_negatives", 23)]
