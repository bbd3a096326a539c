"""kalay.pcap: 20 minutes of a home LAN with two ThroughTek Kalay cameras and a phone app.

Camera 1 (192.168.1.70, UID HXKTZ3N7WB8CD9EF2GP4, version 0x19, scrambled) and camera 2
(192.168.1.71, UID 7RMV2QJ4ZTX9LKC3B8NE, version 0x1a, partially scrambled) resolve
m1..m5.iotcplatform.com through the router (m5 through a CNAME to a kalayservice.com name) and
log in to master servers in five countries about every 40 s. The phone (192.168.1.61) asks a
server for camera 1's address, broadcasts LAN searches to 255.255.255.255:32761 (plain), both
cameras answer, and it runs a 20 s direct LAN session with camera 1. Camera 1 is then punched
through to a GLOBAL peer (a phone on a mobile network) for a 15 s remote session; camera 2
streams 8 s through a GLOBAL relay. Ordinary traffic around it.
"""
import random

from .. import ordinary as o
from ..lan import Host
from . import Scenario
from .home import Home
from .p2p_life import KalayCam, KalayPlan, kalay_life

S = o.S
T0 = 1_712_559_600 * S          # 2024-04-08 07:00:00 UTC
DURATION = 20 * 60 * S
SERVERS = ["50.19.254.134", "122.248.234.207", "46.137.188.54", "120.24.59.150", "61.188.37.216"]
REMOTE_PEER = "37.120.153.66"
RELAY = "13.229.57.18"


def build(seed=21):
    rng = random.Random(seed)
    home = Home(rng, fixed=True)
    lan = home.lan
    cam1 = lan.add(Host("kalaycam1", "00:0e:c6:7a:31:05", "192.168.1.70"))
    cam2 = lan.add(Host("kalaycam2", "ec:71:db:12:8c:4e", "192.168.1.71"))
    plan = KalayPlan(
        cams=[KalayCam(cam1, "HXKTZ3N7WB8CD9EF2GP4", 0x19, "scrambled", "scrambled"),
              KalayCam(cam2, "7RMV2QJ4ZTX9LKC3B8NE", 0x1A, "scrambled", "partial")],
        servers=SERVERS, remote_peer=REMOTE_PEER, relay=RELAY)
    kalay_life(home, rng, T0, T0 + DURATION, plan)
    home.ordinary_mix(T0, T0 + DURATION, sessions=8, camera_s=12)
    lan.arp_exchange(T0, home.laptop, home.router)
    return Scenario(lan.frames(), [], lan.p2p_labels(), "", lan.beat_marks())
