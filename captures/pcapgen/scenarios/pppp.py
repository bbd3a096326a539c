"""pppp.pcap: 8 minutes of a home LAN with four CS2 PPPP cameras and a phone app.

Cameras (UID, key): 192.168.1.80 VSTC-482913-XKDFM "vstarcam2019"; 192.168.1.81
DGOB-019337-TRHBN plaintext; 192.168.1.82 PPCS-771204-EWJNU "SSD@cs2-network."; 192.168.1.83
SHIX-000121-LMNPR "SHIX", which also says HELLO to a vendor server and answers LAN searches
with the custom key "myvendorkey" (a reader needs it as an extra key: truth "pppp_keys"). Each camera sends HELLO to
three servers on UDP 32100 every minute and DEV_LGN to its server about every 10 s. The phone
(192.168.1.61) broadcasts LAN_SEARCH to 255.255.255.255:32108 in plaintext, with the key
"camera" and with "myvendorkey"; the plaintext and the SHIX camera answer LAN_NOTIFY; the
plaintext one and runs a 12 s LAN session (PUNCH_PKT,
P2P_RDY, DRW / DRW_ACK on channels 0 and 1, ALIVE / ALIVE_ACK, CLOSE). The phone then sends
QUERY_DID and P2P_REQ for camera 1 to a server, which sends PUNCH_TO to the camera; the camera
runs a 12 s session with a GLOBAL peer. Ordinary traffic around it.
"""
import random

from .. import ordinary as o
from ..lan import Host
from . import Scenario
from .home import Home
from .p2p_life import PpppCam, PpppPlan, pppp_life

S = o.S
T0 = 1_712_660_400 * S          # 2024-04-09 11:00:00 UTC
DURATION = 8 * 60 * S
SERVERS = ["47.91.149.233", "119.45.114.125", "3.67.119.71"]
VENDOR_SERVER = "8.210.67.142"
REMOTE_PEER = "176.64.12.90"
VENDOR_KEY = "myvendorkey"


def build(seed=22):
    rng = random.Random(seed)
    home = Home(rng, fixed=True)
    lan = home.lan
    hosts = [lan.add(Host("ppppcam%d" % i, mac, "192.168.1.%d" % (80 + i))) for i, mac in enumerate(
        ["d0:bc:c1:4a:07:e1", "78:22:88:0b:5c:90", "a0:9f:10:33:71:2d", "e8:ab:fa:6c:19:b4"])]
    plan = PpppPlan(
        cams=[PpppCam(hosts[0], "VSTC-482913-XKDFM", "vstarcam2019"),
              PpppCam(hosts[1], "DGOB-019337-TRHBN", ""),
              PpppCam(hosts[2], "PPCS-771204-EWJNU", "SSD@cs2-network."),
              PpppCam(hosts[3], "SHIX-000121-LMNPR", "SHIX", vendor_key=VENDOR_KEY)],
        servers=SERVERS, vendor_server=VENDOR_SERVER, lan_search_keys=("", "camera", VENDOR_KEY), lan_cam=1,
        remote_cam=0, remote_peer=REMOTE_PEER)
    pppp_life(home, rng, T0, T0 + DURATION, plan)
    home.ordinary_mix(T0, T0 + DURATION, sessions=8, camera_s=10)
    lan.arp_exchange(T0, home.laptop, home.router)
    return Scenario(lan.frames(), [], lan.p2p_labels(), VENDOR_KEY, lan.beat_marks())
