"""ordinary.pcap: an hour of a dual-stack home LAN with only ordinary traffic (no finding).
The home's global IPv6 /64 is listed as a local network."""
import random

from .. import ordinary as o
from . import Scenario
from .home import Home

S = o.S
T0 = 1_711_962_000 * S          # 2024-04-01 09:00:00 UTC
PREFIX6 = "2a01:cb00:7a1c:4e00::/64"


def build(seed=7):
    rng = random.Random(seed)
    home = Home(rng, fixed=True, prefix6=PREFIX6)
    home.ordinary_mix(T0, T0 + 3600 * S, sessions=18, camera_s=30)
    home.lan.arp_exchange(T0, home.laptop, home.router)
    return Scenario(home.lan.frames(), [PREFIX6])
