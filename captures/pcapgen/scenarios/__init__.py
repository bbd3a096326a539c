"""Capture scenarios. Each `build(seed)` returns a Scenario (frames + local networks);
the ground truth is computed from the frames by pcapgen.truth, never by the scenario."""
from collections import namedtuple

# frames: [(ts_us, bytes)]; p2p: None or a list parallel to frames of None or
# {"platform", "code", "uid", "key"} (what the generator put in the datagram); pppp_keys: the
# extra PPPP keys (comma-separated) a reader needs; beats: None or a list parallel to frames of
# None or {"kind", "period"} (the packets the generator planned as heartbeat beats, lan.beat_marks());
# quic_sni: None or a list parallel to frames of None or the server name the generator put in the
# ClientHello of a QUIC Initial (lan.quic_snis()); geo: None, or the MaxMind test networks that
# cover the remotes, {"country": [[cidr, iso_code, english_name]], "asn": [[cidr, number, org]]}:
# test data chosen by the scenario; the truth then also has an "identity" section.
Scenario = namedtuple("Scenario", "frames local_networks p2p pppp_keys beats quic_sni geo",
                      defaults=(None, "", None, None, None))


import glob
import importlib
import os

# Captures bundled in captures/: (scenario, file stem, seed).
BUNDLED = [("doorbell", "doorbell", 5), ("negatives", "ordinary", 7)]


def _extension_modules():
    """pcapgen/p2p_*.py and pcapgen/*_scenarios.py modules may add scenarios: a module-level
    SCENARIOS = {name: build(seed) -> Scenario} and optionally BUNDLED = [(name, stem, seed)]."""
    here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    paths = set(glob.glob(os.path.join(here, "p2p_*.py"))) | set(glob.glob(os.path.join(here, "*_scenarios.py")))
    for path in sorted(paths):
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
