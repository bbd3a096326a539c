"""The life of Kalay and PPPP cameras on a home LAN, parameterised so that the bundled
scenarios (kalay, pppp) fix the parameters and p2p_variant draws them from a seed.

Kalay (protocols.md section 1): DNS for the master servers, a login (get public IP, answered
by the server with a code the parser does not know) about every 40 s alternating between
servers, a phone that asks a server for the camera's address, searches the LAN (broadcast to
32761), and runs a direct LAN session (data both ways, device ping / ping ack); a punch
request/ack/ok via a server and a remote session with a GLOBAL peer; a session relayed
through a GLOBAL relay.

PPPP (protocols.md section 2): HELLO / DEV_LGN with servers on UDP 32100 about every 10 s,
QUERY_DID / P2P_REQ from the phone, PUNCH_TO / PUNCH_PKT / P2P_RDY, DRW / DRW_ACK with
channels and indexes, ALIVE / ALIVE_ACK, CLOSE, LAN_SEARCH broadcast to 32108 and LAN_NOTIFY.

Heartbeat marks (truth "heartbeat", see heartbeat.py and captures/README.md): the periodic
logins are planned beats and carry a mark {"kind", "period"}, kind = the message code / type,
period = the planned mean interval of the series, which is one flow (camera socket <-> one
server) in one direction:
- Kalay: a login every L = login_period_s s, (L - 2) s + U[0, 4) s apart (mean L: the half
  microsecond of randrange is ignored), servers taken in turn, so each of the n servers gets a
  login (0x071018) and its reply (0x081018, 30..260 ms later) every n logins: period n * L,
  intervals n * L +- 2n s (+- 0.23 s for the replies);
- PPPP: an iteration every (L - 1) s + U[0, 2) s, plus 300 ms in the iterations that start
  with HELLOs (every H = hello_every-th one), so the mean iteration is L + 0.3 / H s: DEV_LGN
  and DEV_LGN_ACK (30..200 ms later) to the camera's server have that period (intervals
  L - 1 .. L + 1.3 s); HELLO / HELLO_ACK to each server every H iterations, period H * L + 0.3
  s (intervals H (L - 1) + 0.3 .. H (L + 1) + 0.3 s, plus a few ms of per-server offset); the
  vendor HELLO / HELLO_ACK every 6 iterations, 1 s after that iteration's DEV_LGN, period
  6 (L + 0.3 / H) s.
Not marked (not a heartbeat by construction): the Kalay session's device ping / ping ack (LAN,
GLOBAL peer and relay alike) is sent at the first loop step at or after next_ping = last ping +
U[0.8, 1.2) s, a step being 0.1..0.4 s + rtt + 2..5 video gaps of 5..40 ms, so the intervals
run from 0.8 s to about 2 s, some under 1 s: too irregular to call a heartbeat. PPPP ALIVE /
ALIVE_ACK come U[0.4, 1.0) s after the previous (plus a loop step): mostly under 1 s, which the
detector ignores. Everything else (punches, queries, session data, LAN searches) is one-off or
continuous.
"""
import ipaddress
import struct
from dataclasses import dataclass, field

from .. import dns
from .. import ordinary as o
from .. import p2p_pppp as pppp
from .. import p2ptraffic as p2p
from ..heartbeat import mark
from ..p2ptraffic import kalay_send, pppp_send

S, MS = o.S, o.MS


# ---------------------------------------------------------------------------- Kalay
@dataclass
class KalayCam:
    host: object
    uid: str
    version: int = 0x19
    encoding: str = "scrambled"     # connection messages: scrambled or partial
    data_encoding: str = "scrambled"  # session data: scrambled or partial
    port: int = 0                   # the SDK's UDP socket (servers and peers)
    lan_port: int = p2p.KALAY_LAN_PORT


@dataclass
class KalayPlan:
    cams: list
    servers: list                   # GLOBAL master servers, in several /16s
    server_port: int = p2p.KALAY_SERVER_PORT
    login_period_s: int = 40
    dns_names: list = field(default_factory=lambda: ["m%d.iotcplatform.com" % i for i in range(1, 6)])
    cname: tuple = ("m5.iotcplatform.com", ["m5-eu.p2p.kalayservice.com"])
    lan_session: bool = True        # phone <-> cams[0] on the LAN
    lan_session_s: int = 20
    remote_peer: object = None      # GLOBAL peer of cams[0]; None: no remote session
    remote_session_s: int = 15
    relay: object = None            # GLOBAL relay of cams[-1]; None: no relayed session
    relay_session_s: int = 8
    phone_encoding: str = "plain"   # the phone's short messages


def _ip4_bytes(a):
    return ipaddress.IPv4Address(a).packed


def _pad(b, n):
    return b + bytes(n - len(b)) if len(b) < n else b


def kalay_life(home, rng, t0, t1, plan: KalayPlan):
    lan = home.lan
    public_ip = "81.%d.%d.%d" % (rng.randrange(0, 256), rng.randrange(0, 256), rng.randrange(1, 255))
    for cam in plan.cams:
        if not cam.port:
            cam.port = p2p.free_port(rng)

    # -- DNS: every camera resolves the master servers through the router ------------------
    for k, cam in enumerate(plan.cams):
        t = t0 + rng.randrange(1 * S, 5 * S) + k * 7 * S
        lan.arp_exchange(t - 500 * MS, cam.host, home.router)
        for i, name in enumerate(plan.dns_names):
            srv = plan.servers[i % len(plan.servers)]
            if plan.cname and name == plan.cname[0]:
                qid, port = rng.getrandbits(16), o.ephemeral_port(rng)
                lan.udp(t, cam.host.ip4, home.router.ip4, port, 53, dns.query(qid, name))
                lan.udp(t + 3 * MS, home.router.ip4, cam.host.ip4, 53, port,
                        dns.response_chain(qid, name, dns.TYPE_A, plan.cname[1], [srv]))
                t += 20 * MS
            else:
                t = o.dns_lookup(lan, t, cam.host, home.router.ip4, name, [srv], 2 * MS, rng,
                                 compress=bool(i % 2)) + 15 * MS

    # -- logins: get public IP about every 40 s, alternating servers ------------------------
    # Each server sees a camera's login every len(servers) logins: a beat series per server
    # (and its replies), period len(servers) * login_period_s (module docstring).
    per_server = len(plan.servers) * plan.login_period_s * S
    for k, cam in enumerate(plan.cams):
        t = t0 + 6 * S + k * 7 * S + rng.randrange(0, 2 * S)
        i = k
        while t < t1:
            srv = plan.servers[i % len(plan.servers)]
            body = cam.uid.encode() + bytes(4) + struct.pack("<I", rng.getrandbits(32))
            kalay_send(lan, t, cam.host.ip4, srv, cam.port, plan.server_port, "get_public_ip", body,
                       cam.version, cam.encoding, uid=cam.uid, beat=mark("kalay_071018", per_server))
            # Reply with a code the parser does not name (server-type, no UID read).
            reply = cam.uid.encode() + struct.pack(">H", cam.port) + _ip4_bytes(public_ip) + bytes(2)
            rtt = rng.randrange(30, 260) * MS
            kalay_send(lan, t + rtt, srv, cam.host.ip4, plan.server_port, cam.port, b"\x08\x10\x18", reply,
                       cam.version, cam.encoding, uid=cam.uid, beat=mark("kalay_081018", per_server))
            i += 1
            t += (plan.login_period_s - 2) * S + rng.randrange(0, 4 * S)

    cam = plan.cams[0]
    phone = home.phone
    # -- the phone on the LAN: address query, LAN search, direct session ---------------------
    if plan.lan_session:
        t = t0 + (t1 - t0) // 4 + rng.randrange(0, 10 * S)
        pport = p2p.free_port(rng)
        srv = plan.servers[-1]
        kalay_send(lan, t, phone.ip4, srv, pport, plan.server_port, "device_address_query",
                   _pad(cam.uid.encode(), 24), cam.version, "scrambled", uid=cam.uid)
        reply = bytearray(_pad(cam.uid.encode(), 28))
        reply[22:24] = struct.pack(">H", cam.port)
        reply[24:28] = _ip4_bytes(public_ip)
        t += rng.randrange(40, 200) * MS
        kalay_send(lan, t, srv, phone.ip4, plan.server_port, pport, "device_address_reply", bytes(reply),
                   cam.version, "scrambled", uid=cam.uid)
        sid = bytes(rng.getrandbits(8) for _ in range(8))
        t += 30 * MS
        for others in plan.cams:   # the search for the camera, and one for every other camera
            wire = p2p.kalay.connect_by_uid(others.uid, sid, 1, version=others.version)
            kalay_send(lan, t, phone.ip4, "255.255.255.255", pport, others.lan_port, "lan_search",
                       wire[16:], others.version, plan.phone_encoding, uid=others.uid)
            t += rng.randrange(2, 9) * MS
            body = _pad(others.uid.encode(), 36)
            body = body[:28] + sid
            kalay_send(lan, t, others.host.ip4, phone.ip4, others.lan_port, pport, "search_reply", body,
                       others.version, others.encoding, uid=others.uid)
            t += 40 * MS
        wire = p2p.kalay.connect_by_uid(cam.uid, sid, 2, version=cam.version)
        kalay_send(lan, t, phone.ip4, cam.host.ip4, pport, cam.lan_port, "lan_search", wire[16:],
                   cam.version, plan.phone_encoding, uid=cam.uid)
        _kalay_session(lan, rng, t + 20 * MS, plan.lan_session_s, phone.ip4, pport, cam.host.ip4, cam.lan_port,
                       cam, plan.phone_encoding)

    # -- punch via a server, then a remote session with a GLOBAL peer ------------------------
    if plan.remote_peer is not None:
        peer = str(plan.remote_peer)
        peer_port = p2p.free_port(rng)
        t = t0 + (t1 - t0) // 2 + rng.randrange(0, 10 * S)
        srv = plan.servers[0]
        addr = struct.pack(">H", peer_port) + _ip4_bytes(peer)
        for code, frm in (("punch_request", srv), ("punch_ack", cam.host.ip4), ("punch_ok", srv)):
            body = cam.uid.encode() + bytes(2) + addr + bytes(2)
            if frm == srv:
                kalay_send(lan, t, srv, cam.host.ip4, plan.server_port, cam.port, code, body, cam.version,
                           cam.encoding, uid=cam.uid)
            else:
                kalay_send(lan, t, cam.host.ip4, srv, cam.port, plan.server_port, code, body, cam.version,
                           cam.encoding, uid=cam.uid)
            t += rng.randrange(40, 150) * MS
        sid = bytes(rng.getrandbits(8) for _ in range(8))
        wire = p2p.kalay.connect_by_uid(cam.uid, sid, 1, version=cam.version)
        kalay_send(lan, t, peer, cam.host.ip4, peer_port, cam.port, "lan_search", wire[16:], cam.version,
                   "scrambled", uid=cam.uid)
        t += 2 * MS
        kalay_send(lan, t, cam.host.ip4, peer, cam.port, peer_port, "search_reply",
                   _pad(cam.uid.encode(), 28) + sid, cam.version, cam.encoding, uid=cam.uid)
        _kalay_session(lan, rng, t + 80 * MS, plan.remote_session_s, peer, peer_port, cam.host.ip4, cam.port,
                       cam, "scrambled", rtt=rng.randrange(40, 180) * MS)

    # -- a session relayed through a GLOBAL relay (the last camera) --------------------------
    if plan.relay is not None:
        rcam = plan.cams[-1]
        relay = str(plan.relay)
        rport = p2p.free_port(rng)
        t = t0 + 3 * (t1 - t0) // 4 + rng.randrange(0, 10 * S)
        _kalay_session(lan, rng, t, plan.relay_session_s, relay, rport, rcam.host.ip4, rcam.port, rcam,
                       rcam.data_encoding, rtt=rng.randrange(60, 220) * MS)


def _kalay_session(lan, rng, t, seconds, client, cport, dev, dport, cam, client_encoding, rtt=3 * MS):
    """Session data both ways (client commands on channel 0, video on channel 1), a device
    ping and its ack about every second. The client's short messages use client_encoding."""
    end = t + seconds * S
    seq_c = seq_d = 1
    next_ping = t + 500 * MS
    while t < end:
        cmd = bytes(rng.getrandbits(8) for _ in range(rng.choice([16, 24, 40])))
        kalay_send(lan, t, client, dev, cport, dport, "data_client_to_device", cmd, cam.version,
                   client_encoding, seq=seq_c, extra=b"\x00\x00" + struct.pack("<H", 0))
        seq_c += 1
        tt = t + rtt
        for _ in range(rng.randrange(2, 6)):
            video = bytes(rng.getrandbits(8) for _ in range(rng.randrange(200, 1000)))
            kalay_send(lan, tt, dev, client, dport, cport, "data_device_to_client", video, cam.version,
                       cam.data_encoding, seq=seq_d, extra=b"\x00\x00" + struct.pack("<H", 1))
            seq_d += 1
            tt += rng.randrange(5, 40) * MS
        if tt >= next_ping:
            rand8 = bytes(rng.getrandbits(8) for _ in range(8))
            kalay_send(lan, tt, dev, client, dport, cport, "device_ping", rand8, 0x12 if seq_d % 2 else cam.version,
                       cam.encoding)
            kalay_send(lan, tt + rtt, client, dev, cport, dport, "ping_ack", rand8, cam.version, client_encoding)
            next_ping = tt + rng.randrange(800, 1200) * MS
        t = tt + rng.randrange(100, 400) * MS


# ----------------------------------------------------------------------------- PPPP
@dataclass
class PpppCam:
    host: object
    uid: str
    key: str = ""
    port: int = 0
    vendor_key: str = ""            # a few logins to vendor_server with this key


@dataclass
class PpppPlan:
    cams: list
    servers: list                   # GLOBAL CS2 servers
    server_port: int = p2p.PPPP_SERVER_PORT
    login_period_s: int = 10
    hello_every: int = 6            # HELLO to the other servers every N logins
    vendor_server: object = None
    lan_search_keys: tuple = ("", "camera")
    lan_cam: int = 1                # index of the camera the phone uses on the LAN (None: none)
    lan_session_s: int = 12
    remote_cam: int = 0             # index of the camera with a remote session (None: none)
    remote_peer: object = None
    remote_session_s: int = 12
    lan_port: int = p2p.PPPP_LAN_PORT


def _sockaddr(ip, port):
    return pppp.sockaddr(str(ip), port)


def pppp_life(home, rng, t0, t1, plan: PpppPlan):
    lan = home.lan
    public_ip = "90.%d.%d.%d" % (rng.randrange(0, 256), rng.randrange(0, 256), rng.randrange(1, 255))
    for cam in plan.cams:
        if not cam.port:
            cam.port = p2p.free_port(rng)

    # -- logins: DEV_LGN every ~10 s, HELLO to the other servers now and then ----------------
    # Planned mean periods (module docstring): an iteration lasts L + 0.3 / H s on average.
    iteration = plan.login_period_s * S + 300 * MS / plan.hello_every
    lgn_beat = mark("pppp_DEV_LGN", iteration), mark("pppp_DEV_LGN_ACK", iteration)
    hello_period = plan.hello_every * plan.login_period_s * S + 300 * MS
    hello_beat = mark("pppp_HELLO", hello_period), mark("pppp_HELLO_ACK", hello_period)
    vendor_beat = mark("pppp_HELLO", 6 * iteration), mark("pppp_HELLO_ACK", 6 * iteration)
    for k, cam in enumerate(plan.cams):
        t = t0 + rng.randrange(1 * S, 8 * S)
        lan.arp_exchange(t - 300 * MS, cam.host, home.router)
        n = 0
        main = plan.servers[k % len(plan.servers)]
        while t < t1:
            if n % plan.hello_every == 0:
                tt = t
                for srv in plan.servers:
                    pppp_send(lan, tt, cam.host.ip4, srv, cam.port, plan.server_port, "HELLO", b"", cam.key,
                              beat=hello_beat[0])
                    pppp_send(lan, tt + rng.randrange(30, 200) * MS, srv, cam.host.ip4, plan.server_port, cam.port,
                              "HELLO_ACK", _sockaddr(public_ip, cam.port), cam.key, beat=hello_beat[1])
                    tt += rng.randrange(1, 5) * MS
                t += 300 * MS
            body = (pppp.uid_bytes(cam.uid) + bytes([0x08, 0, 2, 1]) + _sockaddr(cam.host.ip4, cam.port))
            pppp_send(lan, t, cam.host.ip4, main, cam.port, plan.server_port, "DEV_LGN", body, cam.key, uid=cam.uid,
                      beat=lgn_beat[0])
            pppp_send(lan, t + rng.randrange(30, 200) * MS, main, cam.host.ip4, plan.server_port, cam.port,
                      "DEV_LGN_ACK", bytes([0, plan.login_period_s, 0, 0]), cam.key, beat=lgn_beat[1])
            if cam.vendor_key and plan.vendor_server is not None and n % 6 == 3:
                # HELLO to the vendor's server. (A DEV_LGN with "myvendorkey" starts 1c 4X: tshark's
                # CLTP heuristic would take it for a malformed UD TPDU.)
                tv = t + 1 * S
                pppp_send(lan, tv, cam.host.ip4, plan.vendor_server, cam.port, plan.server_port, "HELLO", b"",
                          cam.vendor_key, beat=vendor_beat[0])
                pppp_send(lan, tv + rng.randrange(50, 300) * MS, plan.vendor_server, cam.host.ip4, plan.server_port,
                          cam.port, "HELLO_ACK", _sockaddr(public_ip, cam.port), cam.vendor_key, beat=vendor_beat[1])
            n += 1
            t += (plan.login_period_s - 1) * S + rng.randrange(0, 2 * S)

    phone = home.phone
    # -- the phone on the LAN: LAN_SEARCH broadcast, LAN_NOTIFY, direct session -------------
    if plan.lan_cam is not None:
        cam = plan.cams[plan.lan_cam]
        t = t0 + (t1 - t0) // 3 + rng.randrange(0, 10 * S)
        pport = p2p.free_port(rng)
        for key in plan.lan_search_keys:
            pppp_send(lan, t, phone.ip4, "255.255.255.255", pport, plan.lan_port, "LAN_SEARCH", b"", key)
            t += rng.randrange(3, 10) * MS
            for c in plan.cams:    # every camera with that key answers
                if key == c.key or (key and key == c.vendor_key):
                    pppp_send(lan, t, c.host.ip4, phone.ip4, c.port, pport, "LAN_NOTIFY", pppp.uid_bytes(c.uid), key,
                              uid=c.uid)
                    t += rng.randrange(1, 5) * MS
            t += 200 * MS
        _pppp_session(lan, rng, t, plan.lan_session_s, phone.ip4, pport, cam, 2 * MS)

    # -- the phone asks a server for a camera; the camera then serves a GLOBAL peer ----------
    if plan.remote_cam is not None:
        cam = plan.cams[plan.remote_cam]
        srv = plan.servers[plan.remote_cam % len(plan.servers)]
        t = t0 + (t1 - t0) // 2 + rng.randrange(0, 10 * S)
        pport = p2p.free_port(rng)
        did = cam.uid.encode()[:20].ljust(20, b"\x00")
        pppp_send(lan, t, phone.ip4, srv, pport, plan.server_port, "QUERY_DID", did, cam.key)
        t += rng.randrange(40, 150) * MS
        pppp_send(lan, t, srv, phone.ip4, plan.server_port, pport, "QUERY_DID_ACK",
                  bytes([0, 0, 0, 0]) + _sockaddr(srv, plan.server_port), cam.key)
        t += 20 * MS
        pppp_send(lan, t, phone.ip4, srv, pport, plan.server_port, "P2P_REQ",
                  pppp.uid_bytes(cam.uid) + _sockaddr(phone.ip4, pport), cam.key, uid=cam.uid)
        t += rng.randrange(40, 150) * MS
        pppp_send(lan, t, srv, phone.ip4, plan.server_port, pport, "P2P_REQ_ACK", bytes([0, 0, 2, 1]), cam.key)
        if plan.remote_peer is not None:
            peer = str(plan.remote_peer)
            peer_port = p2p.free_port(rng)
            t += rng.randrange(1 * S, 5 * S)
            pppp_send(lan, t, srv, cam.host.ip4, plan.server_port, cam.port, "PUNCH_TO", _sockaddr(peer, peer_port),
                      cam.key)
            t += 10 * MS
            rtt = rng.randrange(40, 180) * MS
            for _ in range(2):
                pppp_send(lan, t, cam.host.ip4, peer, cam.port, peer_port, "PUNCH_PKT", pppp.uid_bytes(cam.uid),
                          cam.key, uid=cam.uid)
                t += rng.randrange(10, 50) * MS
            pppp_send(lan, t, peer, cam.host.ip4, peer_port, cam.port, "PUNCH_PKT", pppp.uid_bytes(cam.uid),
                      cam.key, uid=cam.uid)
            t += 5 * MS
            pppp_send(lan, t, cam.host.ip4, peer, cam.port, peer_port, "P2P_RDY",
                      pppp.uid_bytes(cam.uid) + bytes([0, 0, 2, 1]), cam.key, uid=cam.uid)  # the 24-byte _EX form
            t += rtt
            pppp_send(lan, t, peer, cam.host.ip4, peer_port, cam.port, "P2P_RDY", pppp.uid_bytes(cam.uid), cam.key,
                      uid=cam.uid)
            _pppp_session(lan, rng, t + 20 * MS, plan.remote_session_s, peer, peer_port, cam, rtt, handshake=False)


def _pppp_session(lan, rng, t, seconds, client, cport, cam, rtt, handshake=True):
    """Client <-> camera: PUNCH_PKT / P2P_RDY (when handshake), DRW commands on channel 0,
    DRW video on channel 1 acknowledged by DRW_ACK, ALIVE / ALIVE_ACK, then CLOSE."""
    dev, dport, key = cam.host.ip4, cam.port, cam.key
    if handshake:
        pppp_send(lan, t, client, dev, cport, dport, "PUNCH_PKT", pppp.uid_bytes(cam.uid), key, uid=cam.uid)
        pppp_send(lan, t + rtt, dev, client, dport, cport, "P2P_RDY", pppp.uid_bytes(cam.uid), key, uid=cam.uid)
        pppp_send(lan, t + 2 * rtt, client, dev, cport, dport, "P2P_RDY_ACK", b"", key)
        t += 3 * rtt
    pppp_session_data(rng, t, seconds, client, cport, dev, dport, rtt,
                      lambda tt, src, dst, sp, dp, kind, body: pppp_send(lan, tt, src, dst, sp, dp, kind, body, key,
                                                                         flex=kind == "DRW"))


def pppp_session_data(rng, t, seconds, client, cport, dev, dport, rtt, send):
    """The data phase of a PPPP session, then CLOSE both ways: DRW commands on channel 0, DRW
    video on channel 1 acknowledged by DRW_ACK, ALIVE / ALIVE_ACK now and then.
    send(t, src, dst, sport, dport, msg_type, body) emits one message (whatever its key)."""
    end = t + seconds * S
    idx_c, idx_d = 0, rng.randrange(0, 0x10000)
    next_alive = t + 500 * MS
    while t < end:
        cmd = bytes(rng.getrandbits(8) for _ in range(rng.choice([8, 12, 32])))
        send(t, client, dev, cport, dport, "DRW", p2p.drw(0, idx_c, cmd))
        send(t + rtt, dev, client, dport, cport, "DRW_ACK", p2p.drw_ack(0, [idx_c]))
        idx_c += 1
        tt = t + rtt + 2 * MS
        sent = []
        for _ in range(rng.randrange(2, 6)):
            video = bytes(rng.getrandbits(8) for _ in range(rng.randrange(200, 1000)))
            send(tt, dev, client, dport, cport, "DRW", p2p.drw(1, idx_d, video))
            sent.append(idx_d)
            idx_d = (idx_d + 1) & 0xFFFF
            tt += rng.randrange(3, 30) * MS
        send(tt + rtt, client, dev, cport, dport, "DRW_ACK", p2p.drw_ack(1, sent))
        tt += rtt
        if tt >= next_alive:
            send(tt + 5 * MS, dev, client, dport, cport, "ALIVE", b"")
            send(tt + 5 * MS + rtt, client, dev, cport, dport, "ALIVE_ACK", b"")
            send(tt + 10 * MS + rtt, client, dev, cport, dport, "ALIVE", b"")
            send(tt + 10 * MS + 2 * rtt, dev, client, dport, cport, "ALIVE_ACK", b"")
            next_alive = tt + rng.randrange(400, 1000) * MS
        t = tt + 2 * rtt + rng.randrange(50, 300) * MS
    send(t, client, dev, cport, dport, "CLOSE", b"")
    send(t + rtt, dev, client, dport, cport, "CLOSE", b"")
