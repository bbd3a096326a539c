"""p2p_variant (--seed N): Kalay and/or PPPP cameras with everything the bundled kalay and pppp
captures fix drawn from the seed: LAN subnet and MACs, start time and duration, number of
cameras, UIDs (Kalay: 20 of [A-Z0-9]; PPPP: 1-8 letter prefix, serial, 1-8 letter check code
without A, I, O, Q), protocol versions, Kalay encodings, PPPP keys (plaintext, the built-in
ones, and sometimes the custom "myvendorkey", then named in the truth's "pppp_keys"), server
and LAN ports, servers, login periods, DNS names (random letter case, kalay.net.cn, CNAMEs),
and which of the LAN session, the remote session with a GLOBAL peer and the relayed session
happen. IPv4 only (as the protocols are in practice). Ordinary traffic around it.
"""
import random

from .. import ordinary as o
from .. import p2ptraffic as p2p
from ..addresses import random_global
from ..lan import Host
from . import Scenario
from .home import Home, random_mac
from .p2p_life import KalayCam, KalayPlan, PpppCam, PpppPlan, kalay_life, pppp_life

S = o.S
VENDOR_KEY = "myvendorkey"


def _random_case(rng, name):
    if rng.random() < 0.6:
        return name
    return "".join(c.upper() if rng.random() < 0.5 else c for c in name)


def build(seed=1):
    rng = random.Random(seed)
    home = Home(rng, fixed=False)
    lan = home.lan
    t0 = rng.randrange(1_672_531_200, 1_735_689_600) * S
    t1 = t0 + rng.randrange(6 * 60, 16 * 60) * S
    base = lan.subnet4.network_address
    free_last = rng.sample(range(100, 250), 8)

    def new_host(name):
        return lan.add(Host(name, random_mac(rng), base + free_last.pop()))

    r = rng.random()
    with_kalay, with_pppp = r < 0.7, r >= 0.35
    extra_keys = ""
    if with_kalay:
        cams = []
        for i in range(rng.randrange(1, 4)):
            cams.append(KalayCam(new_host("kalay%d" % i), p2p.kalay_uid(rng),
                                 rng.choice([0x12, 0x19, 0x19, 0x1A, 0x1A, rng.randrange(0x10, 0x40)]),
                                 rng.choice(["scrambled", "scrambled", "partial"]),
                                 rng.choice(["scrambled", "partial"]),
                                 lan_port=p2p.KALAY_LAN_PORT if rng.random() < 0.7 else p2p.free_port(rng)))
        names = ["m%d.iotcplatform.com" % i for i in range(1, 6)]
        names = [_random_case(rng, n) for n in rng.sample(names, rng.randrange(2, 6))]
        if rng.random() < 0.4:
            names.append(_random_case(rng, "p2p%d.kalay.net.cn" % rng.randrange(1, 9)))
        cname = None
        if rng.random() < 0.6:
            cname = (names[0], [rng.choice(["edge", "cdn", "p2p"]) + "%d.kalayservice.com" % rng.randrange(1, 99)])
        plan = KalayPlan(
            cams=cams, servers=[str(random_global(rng, 4)) for _ in range(rng.randrange(2, 6))],
            server_port=p2p.KALAY_SERVER_PORT if rng.random() < 0.6 else p2p.free_port(rng),
            login_period_s=rng.randrange(30, 61), dns_names=names, cname=cname,
            lan_session=rng.random() < 0.7, lan_session_s=rng.randrange(3, 15),
            remote_peer=random_global(rng, 4) if rng.random() < 0.7 else None,
            remote_session_s=rng.randrange(3, 12),
            relay=random_global(rng, 4) if rng.random() < 0.5 else None, relay_session_s=rng.randrange(2, 8),
            phone_encoding=rng.choice(["plain", "scrambled", "partial"]))
        kalay_life(home, rng, t0, t1, plan)
    if with_pppp:
        vendor = rng.random() < 0.5
        # "myvendorkey" only as a second key (HELLO, LAN_NOTIFY): its DEV_LGN trips tshark's CLTP heuristic.
        keys = ["", "camera", "SHIX", "SSD@cs2-network.", "vstarcam2019"]
        cams = []
        for i in range(rng.randrange(1, 5)):
            cams.append(PpppCam(new_host("pppp%d" % i), p2p.pppp_uid(rng), rng.choice(keys),
                                vendor_key=VENDOR_KEY if vendor and rng.random() < 0.5 else ""))
        used = {c.key for c in cams} | {c.vendor_key for c in cams}
        if VENDOR_KEY in used:
            extra_keys = VENDOR_KEY
        pool = sorted({c.key for c in cams} | {c.vendor_key for c in cams} | {"", "camera"})
        lan_keys = tuple(rng.sample(pool, min(len(pool), rng.randrange(1, 4))))
        if VENDOR_KEY in lan_keys:
            extra_keys = VENDOR_KEY
        plan = PpppPlan(
            cams=cams, servers=[str(random_global(rng, 4)) for _ in range(rng.randrange(1, 4))],
            server_port=p2p.PPPP_SERVER_PORT if rng.random() < 0.7 else p2p.free_port(rng),
            login_period_s=rng.randrange(8, 16), hello_every=rng.randrange(3, 10),
            vendor_server=str(random_global(rng, 4)), lan_search_keys=lan_keys,
            lan_cam=rng.randrange(len(cams)) if rng.random() < 0.7 else None, lan_session_s=rng.randrange(3, 12),
            remote_cam=rng.randrange(len(cams)) if rng.random() < 0.8 else None,
            remote_peer=random_global(rng, 4) if rng.random() < 0.8 else None,
            remote_session_s=rng.randrange(3, 12),
            lan_port=p2p.PPPP_LAN_PORT if rng.random() < 0.7 else p2p.free_port(rng))
        pppp_life(home, rng, t0, t1, plan)
    home.ordinary_mix(t0, t1, sessions=rng.randrange(3, 10), with_camera=rng.random() < 0.5,
                      camera_s=rng.randrange(5, 15))
    return Scenario(lan.frames(), [], lan.p2p_labels(), extra_keys, lan.beat_marks())
