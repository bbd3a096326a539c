"""pppp_recovery (--seed N): CS2 PPPP cameras whose keys nobody published, and look-alikes.

Three to five cameras, each under a fresh random 4-byte key (the seed a PSK would fold into,
drawn at random: no vendor key, no user key reads it) and with its own UDP socket, live for
6-10 minutes:
* server logins: HELLO to three servers on UDP 32100 (answered with HELLO_ACK and the
  camera's public address) now and then, DEV_LGN to its main server every 8-10 s (DEV_LGN_ACK);
* a phone on the LAN (192.168.x.61) or an app on the Internet asks a server for the camera
  (P2P_REQ, P2P_REQ_ACK); the server sends PUNCH_TO both ways; camera and app punch
  (PUNCH_PKT both ways, P2P_RDY both ways), then a session (p2p_life.pppp_session_data): DRW
  commands on channel 0 and video on channel 1 (DRW_ACK), ALIVE / ALIVE_ACK every 0.4-1 s, CLOSE;
* for some cameras the phone also broadcasts LAN_SEARCH under the camera's key to
  255.255.255.255:32108 and the camera answers with PUNCH_PKT (as the Besder camera does).
Every PPPP datagram's label carries the key as "recovered" plus the 4 bytes, and its camera/
remote pair ("pair": the two endpoints) with its number in that pair ("pair_index", from 1):
a reader that recovers keys from the traffic must read every datagram from the 4th of its
pair on.

Look-alikes, which no reader may claim: a console swapping random datagrams of PPPP lengths
(4, 8, 20, 24, 36, 44 bytes and others) with a game server on UDP 32100 for minutes; a host
broadcasting random 4- and 24-byte datagrams to 32108; a hundred one-datagram flows of random
bytes to 32100 servers; F1-led datagrams whose length field is wrong. Each is checked against
the readers' header rules for plaintext and the published keys (pcapgen.p2ptraffic) and
against tshark's CLTP heuristic, and drawn again if it would match. Ordinary home traffic
around it.
"""
import random
import struct

from .. import ordinary as o
from .. import p2p_pppp as pppp
from .. import p2ptraffic as p2p
from ..lan import Host
from . import Scenario
from .home import Home, random_mac
from .p2p_life import pppp_session_data

S, MS = o.S, o.MS
T0 = 1_712_836_800 * S          # 2024-04-11 12:00:00 UTC
SERVERS = ["47.91.149.233", "119.45.114.125", "3.67.119.71"]
GAME_SERVER = "185.60.112.40"
LOOKALIKE_LENGTHS = (4, 8, 20, 24, 36, 44, 52, 64)
# Every type a camera's life below sends: its key must not turn any of them into a datagram
# tshark's CLTP heuristic takes (first byte < length, second byte 0x4X).
TYPES_SENT = ("HELLO", "HELLO_ACK", "DEV_LGN", "DEV_LGN_ACK", "P2P_REQ", "P2P_REQ_ACK", "PUNCH_TO", "PUNCH_PKT",
              "P2P_RDY", "LAN_SEARCH", "DRW", "DRW_ACK", "ALIVE", "ALIVE_ACK", "CLOSE")


def fresh_seed(rng):
    """4 random key bytes under which no message type a camera sends trips tshark's CLTP
    heuristic (the type byte's keystream is the same for every type: one check per type)."""
    while True:
        seed = tuple(rng.getrandbits(8) for _ in range(4))
        if all(pppp.encrypt_seed(bytes([0xF1, pppp.TYPES[t]]), seed)[1] >> 4 != 4 for t in TYPES_SENT):
            return seed


class Camera:
    def __init__(self, host, port, seed, uid):
        self.host, self.port, self.seed, self.uid = host, port, seed, uid
        self.key_label = "recovered " + ":".join("%02x" % b for b in seed)


def send(lan, t, src, dst, sport, dport, msg_type, body, cam, uid=None):
    """One PPPP datagram under the camera's key, labelled with its pair (numbered in capture
    order once the frames are sorted: see build())."""
    t_id = pppp.TYPES[msg_type]
    plain = pppp.message(t_id, body)
    if uid is not None:
        assert plain[4:24] == pppp.uid_bytes(uid)
    wire = pppp.encrypt_seed(plain, cam.seed)
    assert not p2p.tshark_trap(wire), (msg_type, cam.seed)
    assert p2p.pppp_claimed(wire) is None and not p2p.kalay_claimed(wire), (msg_type, cam.seed)
    ends = sorted([(str(src), sport), (str(dst), dport)])
    label = {"platform": "pppp", "code": t_id, "uid": uid, "key": cam.key_label,
             "pair": "%s:%d-%s:%d" % (ends[0][0], ends[0][1], ends[1][0], ends[1][1])}
    lan.udp(t, src, dst, sport, dport, wire, meta=label)


def logins(lan, rng, cam, t, t1, public_ip):
    main = rng.choice(SERVERS)
    n = 0
    while t < t1:
        if n % 6 == 0:
            for srv in SERVERS:
                send(lan, t, cam.host.ip4, srv, cam.port, p2p.PPPP_SERVER_PORT, "HELLO", b"", cam)
                send(lan, t + rng.randrange(30, 200) * MS, srv, cam.host.ip4, p2p.PPPP_SERVER_PORT, cam.port,
                     "HELLO_ACK", pppp.sockaddr(public_ip, cam.port), cam)
                t += rng.randrange(1, 5) * MS
            t += 300 * MS
        body = pppp.uid_bytes(cam.uid) + bytes([0x08, 0, 2, 1]) + pppp.sockaddr(str(cam.host.ip4), cam.port)
        send(lan, t, cam.host.ip4, main, cam.port, p2p.PPPP_SERVER_PORT, "DEV_LGN", body, cam, uid=cam.uid)
        send(lan, t + rng.randrange(30, 200) * MS, main, cam.host.ip4, p2p.PPPP_SERVER_PORT, cam.port,
             "DEV_LGN_ACK", bytes([0, 9, 0, 0]), cam)
        n += 1
        t += rng.randrange(8 * S, 10 * S)


def session(lan, rng, cam, t, app, app_port, seconds, rtt):
    """The app asks a server for the camera, both punch, then DRW data and keepalives."""
    srv = rng.choice(SERVERS)
    dev, dport = cam.host.ip4, cam.port
    send(lan, t, app, srv, app_port, p2p.PPPP_SERVER_PORT, "P2P_REQ",
         pppp.uid_bytes(cam.uid) + pppp.sockaddr(str(app), app_port), cam, uid=cam.uid)
    t += rng.randrange(40, 150) * MS
    send(lan, t, srv, app, p2p.PPPP_SERVER_PORT, app_port, "P2P_REQ_ACK", bytes([0, 0, 2, 1]), cam)
    send(lan, t + 2 * MS, srv, app, p2p.PPPP_SERVER_PORT, app_port, "PUNCH_TO", pppp.sockaddr("93.184.7.7", dport), cam)
    send(lan, t + 3 * MS, srv, dev, p2p.PPPP_SERVER_PORT, dport, "PUNCH_TO", pppp.sockaddr(str(app), app_port), cam)
    t += rng.randrange(50, 200) * MS
    for _ in range(2):
        send(lan, t, dev, app, dport, app_port, "PUNCH_PKT", pppp.uid_bytes(cam.uid), cam, uid=cam.uid)
        send(lan, t + rtt, app, dev, app_port, dport, "PUNCH_PKT", pppp.uid_bytes(cam.uid), cam, uid=cam.uid)
        t += rng.randrange(10, 50) * MS
    send(lan, t, dev, app, dport, app_port, "P2P_RDY", pppp.uid_bytes(cam.uid), cam, uid=cam.uid)
    send(lan, t + rtt, app, dev, app_port, dport, "P2P_RDY", pppp.uid_bytes(cam.uid), cam, uid=cam.uid)
    t += 2 * rtt
    pppp_session_data(rng, t, seconds, app, app_port, dev, dport, rtt,
                      lambda tt, src, dst, sp, dp, kind, body: send(lan, tt, src, dst, sp, dp, kind, body, cam))


def lan_search(lan, rng, cam, t, phone, phone_port):
    """The phone's app searches the LAN under the camera's key; the camera punches back."""
    send(lan, t, phone, "255.255.255.255", phone_port, p2p.PPPP_LAN_PORT, "LAN_SEARCH", b"", cam)
    t += rng.randrange(3, 20) * MS
    send(lan, t, cam.host.ip4, phone, cam.port, phone_port, "PUNCH_PKT", pppp.uid_bytes(cam.uid), cam, uid=cam.uid)
    send(lan, t + 2 * MS, phone, cam.host.ip4, phone_port, cam.port, "PUNCH_PKT", pppp.uid_bytes(cam.uid), cam,
         uid=cam.uid)
    for kind in ("ALIVE", "ALIVE_ACK", "ALIVE", "ALIVE_ACK"):
        t += rng.randrange(300, 900) * MS
        src, dst, sp, dp = (cam.host.ip4, phone, cam.port, phone_port) if kind == "ALIVE" else (
            phone, cam.host.ip4, phone_port, cam.port)
        send(lan, t, src, dst, sp, dp, kind, b"", cam)
    t += 200 * MS
    send(lan, t, phone, cam.host.ip4, phone_port, cam.port, "CLOSE", b"", cam)


def _lookalike(rng, n):
    while True:
        payload = bytes(rng.getrandbits(8) for _ in range(n))
        if p2p.pppp_claimed(payload) is None and not p2p.kalay_claimed(payload) and not p2p.tshark_trap(payload):
            return payload


def lookalikes(lan, rng, t0, t1, console, chatty):
    # A console and a game server swap random datagrams on 32100.
    cport, t = p2p.free_port(rng), t0 + rng.randrange(5 * S, 30 * S)
    while t < t1:
        n = rng.choice(LOOKALIKE_LENGTHS) if rng.random() < 0.7 else rng.randrange(4, 600)
        lan.udp(t, console.ip4, GAME_SERVER, cport, p2p.PPPP_SERVER_PORT, _lookalike(rng, n))
        if rng.random() < 0.7:
            lan.udp(t + rng.randrange(20, 80) * MS, GAME_SERVER, console.ip4, p2p.PPPP_SERVER_PORT, cport,
                    _lookalike(rng, rng.choice(LOOKALIKE_LENGTHS)))
        t += rng.randrange(200, 2000) * MS
    # A host broadcasts random 4- and 24-byte datagrams to 32108 from one port.
    bport, t = p2p.free_port(rng), t0 + rng.randrange(5 * S, 30 * S)
    while t < t1:
        lan.udp(t, chatty.ip4, "255.255.255.255", bport, p2p.PPPP_LAN_PORT, _lookalike(rng, rng.choice((4, 24))))
        t += rng.randrange(1 * S, 6 * S)
    # One-datagram flows to the PPPP servers.
    for _ in range(100):
        lan.udp(rng.randrange(t0, t1), chatty.ip4, rng.choice(SERVERS), p2p.free_port(rng), p2p.PPPP_SERVER_PORT,
                _lookalike(rng, rng.choice(LOOKALIKE_LENGTHS)))
    # F1 then a known type with a wrong length field.
    for _ in range(30):
        n = rng.choice(LOOKALIKE_LENGTHS)
        body = bytes(rng.getrandbits(8) for _ in range(n - 4))
        wrong = (n - 4 + rng.randrange(1, 50)) & 0xFFFF
        payload = bytes([0xF1, rng.choice((0x10, 0x41, 0xD0, 0xE0))]) + struct.pack(">H", wrong) + body
        assert p2p.pppp_claimed(payload) is None
        lan.udp(rng.randrange(t0, t1), console.ip4, rng.choice(SERVERS), cport, p2p.PPPP_SERVER_PORT, payload)


def build(seed=1):
    rng = random.Random(seed)
    home = Home(rng, fixed=False)
    lan = home.lan
    net = lan.subnet4
    duration = rng.randrange(6 * 60, 10 * 60) * S
    t1 = T0 + duration
    cams = []
    for i in range(rng.randrange(3, 6)):
        host = lan.add(Host("ppppcam%d" % i, random_mac(rng), net.network_address + 80 + i))
        cams.append(Camera(host, p2p.free_port(rng), fresh_seed(rng), p2p.pppp_uid(rng)))
    console = lan.add(Host("console", random_mac(rng), net.network_address + 70))
    chatty = lan.add(Host("chatty", random_mac(rng), net.network_address + 71))
    public_ip = "90.%d.%d.%d" % (rng.randrange(0, 256), rng.randrange(0, 256), rng.randrange(1, 255))
    for k, cam in enumerate(cams):
        start = T0 + rng.randrange(1 * S, 20 * S)
        lan.arp_exchange(start - 300 * MS, cam.host, home.router)
        logins(lan, rng, cam, start, t1, public_ip)
        remote = rng.random() < 0.5
        app = "176.64.%d.%d" % (rng.randrange(256), rng.randrange(1, 255)) if remote else home.phone.ip4
        session(lan, rng, cam, T0 + duration * (k + 1) // (len(cams) + 2) + rng.randrange(0, 10 * S), app,
                p2p.free_port(rng), rng.randrange(8, 20), (rng.randrange(40, 180) if remote else 2) * MS)
        if rng.random() < 0.5:
            lan_search(lan, rng, cam, T0 + rng.randrange(duration // 10, duration - 60 * S), home.phone.ip4,
                       p2p.free_port(rng))
    lookalikes(lan, rng, T0, t1, console, chatty)
    home.ordinary_mix(T0, t1, sessions=6, camera_s=10)
    lan.arp_exchange(T0, home.laptop, home.router)
    frames, labels = lan.frames(), lan.p2p_labels()
    # Number each pair's datagrams in capture order.
    seen = {}
    for label in labels:
        if label is not None:
            seen[label["pair"]] = seen.get(label["pair"], 0) + 1
            label["pair_index"] = seen[label["pair"]]
    return Scenario(frames, [], labels, "", lan.beat_marks())
