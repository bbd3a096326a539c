"""Capture scenarios. Each `build(seed)` returns a Scenario (frames + local networks);
the ground truth is computed from the frames by pcapgen.truth, never by the scenario."""
from collections import namedtuple

# frames: [(ts_us, bytes)]; p2p: None or a list parallel to frames of None or
# {"platform", "code", "uid", "key"} (what the generator put in the datagram); pppp_keys: the
# extra PPPP keys (comma-separated) a reader needs.
Scenario = namedtuple("Scenario", "frames local_networks p2p pppp_keys", defaults=(None, ""))


import glob
import importlib
import os

# Captures bundled in captures/: (scenario, file stem, seed).
BUNDLED = [("doorbell", "doorbell", 5), ("negatives", "ordinary", 7)]


def _extension_modules():
    """pcapgen/p2p_*.py modules (owned by the P2P work) may add scenarios: a module-level
    SCENARIOS = {name: build(seed) -> Scenario} and optionally BUNDLED = [(name, stem, seed)]."""
    here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    for path in sorted(glob.glob(os.path.join(here, "p2p_*.py"))):
        yield importlib.import_module("pcapgen." + os.path.basename(path)[:-3])


def registry():
    """name -> build(seed) for every scenario (imported lazily)."""
    from . import doorbell, doorbell_variant, negatives
    reg = {"doorbell": doorbell.build,
           "doorbell_variant": doorbell_variant.build,
           "negatives": negatives.build}
    for mod in _extension_modules():
        reg.update(getattr(mod, "SCENARIOS", {}))
    return reg


def bundled():
    """Every bundled capture: BUNDLED plus the extension modules' BUNDLED lists."""
    out = list(BUNDLED)
    for mod in _extension_modules():
        out.extend(getattr(mod, "BUNDLED", []))
    return out
