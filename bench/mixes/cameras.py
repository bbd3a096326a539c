"""P2P cameras: ThroughTek Kalay (scrambled logins to the master servers, live views with a
remote phone) and CS2 PPPP (HELLO, DEV_LGN, DRW live views), and a doorbell's bursts to port 1."""
import struct

from pcapgen import payloads as pl
from pcapgen import p2p_pppp as pppp
from pcapgen import p2ptraffic as p2p

from .blocks import addr_in, ephemeral, rbytes
from .wire import MS, S, flow, ip4b


class P2PCameras:
    """Kalay and PPPP cameras (mixed into a Planner: self.dur, self.devs["kalaycam"|"ppppcam"])."""

    def plan_p2p_session(self):
        rng = self.rng
        k = rng.randrange(4)
        start = self.when(rng, 300)
        secs = rng.randrange(30, 240)
        if k < 2:
            d = self.devs["kalaycam"][k]
            self.add("p2p", secs * 14, lambda r: self.kalay_view(r, d, k, start, secs))
        else:
            d = self.devs["ppppcam"][k - 2]
            self.add("p2p", secs * 16, lambda r: self.pppp_view(r, d, k - 2, start, secs))

    KALAY_MASTERS = ["50.19.254.134", "122.248.234.207", "46.137.188.54", "120.24.59.150", "61.188.37.216"]

    def kalay_uid(self, k):
        return ["HXKTZ3N7WB8CD9EF2GP4", "7RMV2QJ4ZTX9LKC3B8NE"][k]

    def kalay_port(self, k):
        return [23781, 41877][k]

    def kalay_login(self, rng, d, k):
        uid = self.kalay_uid(k)
        port = self.kalay_port(k)
        public = ip4b("81.56.%d.%d" % (rng.randrange(256), rng.randrange(1, 255)))
        paths = {m: flow(rng, d, m) for m in self.KALAY_MASTERS}
        t = rng.randrange(0, 40 * S)
        while t < self.dur:
            m = rng.choice(self.KALAY_MASTERS)
            o, i = paths[m]
            body = uid.encode() + bytes(4) + struct.pack("<I", rng.getrandbits(32))
            wire, _ = p2p.kalay_payload("get_public_ip", body, 0x19, "scrambled", uid=uid)
            yield t, o.udp(port, 10240, wire)
            reply = uid.encode() + struct.pack(">H", port) + public + bytes(2)
            wire, _ = p2p.kalay_payload(b"\x08\x10\x18", reply, 0x19, "scrambled", uid=uid)
            yield t + rng.randrange(30, 260) * MS, i.udp(10240, port, wire)
            t += rng.randrange(38, 43) * S

    def kalay_view(self, rng, d, k, t, secs):
        """A remote phone's live view: session data both ways, device pings."""
        client = addr_in(rng, rng.choice(("37.120", "77.20", "176.0")))
        cport = p2p.free_port(rng)
        o, i = flow(rng, d, client)
        dport = self.kalay_port(k)
        rtt = rng.randrange(40, 180) * MS
        end = t + secs * S
        seq_c = seq_d = 1
        next_ping = t + 500 * MS
        while t < end:
            wire, _ = p2p.kalay_payload("data_client_to_device", rbytes(rng, rng.choice((16, 24, 40))), 0x19,
                                        "scrambled", seq=seq_c, extra=b"\x00\x00\x00\x00")
            yield t, i.udp(cport, dport, wire)
            seq_c += 1
            tt = t + rtt
            for _ in range(rng.randrange(6, 14)):
                wire, _ = p2p.kalay_payload("data_device_to_client", rbytes(rng, rng.randrange(600, 1100)), 0x19,
                                            "partial", seq=seq_d & 0xFFFF, extra=b"\x00\x00\x01\x00")
                yield tt, o.udp(dport, cport, wire)
                seq_d += 1
                tt += rng.randrange(5, 30) * MS
            if tt >= next_ping:
                r8 = rbytes(rng, 8)
                wire, _ = p2p.kalay_payload("device_ping", r8, 0x12, "scrambled")
                yield tt, o.udp(dport, cport, wire)
                wire, _ = p2p.kalay_payload("ping_ack", r8, 0x19, "scrambled")
                yield tt + rtt, i.udp(cport, dport, wire)
                next_ping = tt + rng.randrange(800, 1200) * MS
                tt += rtt
            t = tt + rng.randrange(50, 300) * MS


    PPPP_SERVERS = ["47.254.13.48", "8.209.72.130", "120.78.210.62"]

    def pppp_cam(self, k):
        return (["VSTC-481922-LKMNP", "BATC-609580-HVDCS"][k], ["camera", "SSD@cs2-network."][k], [40117, 52044][k])

    def pppp_login(self, rng, d, k):
        uid, key, port = self.pppp_cam(k)
        paths = {s: flow(rng, d, s) for s in self.PPPP_SERVERS}
        public = "81.56.%d.%d" % (rng.randrange(256), rng.randrange(1, 255))
        t = rng.randrange(0, 20 * S)
        n = 0
        while t < self.dur:
            if n % 10 == 0:
                for s in self.PPPP_SERVERS:
                    o, i = paths[s]
                    wire, _ = p2p.pppp_payload("HELLO", b"", key)
                    yield t, o.udp(port, 32100, wire)
                    wire, _ = p2p.pppp_payload("HELLO_ACK", pppp.sockaddr(public, port), key)
                    yield t + rng.randrange(30, 200) * MS, i.udp(32100, port, wire)
                    t += rng.randrange(200, 260) * MS
            o, i = paths[self.PPPP_SERVERS[k]]
            body = pppp.uid_bytes(uid) + bytes([0x08, 0, 2, 1]) + pppp.sockaddr(d.ip, port)
            wire, _ = p2p.pppp_payload("DEV_LGN", body, key, uid=uid)
            yield t, o.udp(port, 32100, wire)
            wire, _ = p2p.pppp_payload("DEV_LGN_ACK", bytes([0, 16, 0, 0]), key)
            yield t + rng.randrange(30, 200) * MS, i.udp(32100, port, wire)
            n += 1
            t += rng.randrange(16, 20) * S

    def pppp_view(self, rng, d, k, t, secs):
        uid, key, dport = self.pppp_cam(k)
        client = addr_in(rng, rng.choice(("37.120", "77.20", "176.0")))
        cport = p2p.free_port(rng)
        o, i = flow(rng, d, client)
        rtt = rng.randrange(40, 180) * MS
        wire, _ = p2p.pppp_payload("PUNCH_PKT", pppp.uid_bytes(uid), key, uid=uid)
        yield t, i.udp(cport, dport, wire)
        wire, _ = p2p.pppp_payload("P2P_RDY", pppp.uid_bytes(uid), key, uid=uid)
        yield t + rtt, o.udp(dport, cport, wire)
        t += 2 * rtt
        end = t + secs * S
        idx_c, idx_d = 0, rng.randrange(0, 0x10000)
        next_alive = t + 500 * MS
        while t < end:
            wire, _ = p2p.pppp_payload("DRW", p2p.drw(0, idx_c, rbytes(rng, rng.choice((8, 12, 32)))), key, flex=True)
            yield t, i.udp(cport, dport, wire)
            wire, _ = p2p.pppp_payload("DRW_ACK", p2p.drw_ack(0, [idx_c]), key)
            yield t + rtt, o.udp(dport, cport, wire)
            idx_c += 1
            tt = t + rtt + 2 * MS
            sent = []
            for _ in range(rng.randrange(6, 14)):
                wire, _ = p2p.pppp_payload("DRW", p2p.drw(1, idx_d, rbytes(rng, rng.randrange(600, 1000))), "")
                yield tt, o.udp(dport, cport, wire)
                sent.append(idx_d)
                idx_d = (idx_d + 1) & 0xFFFF
                tt += rng.randrange(5, 30) * MS
            wire, _ = p2p.pppp_payload("DRW_ACK", p2p.drw_ack(1, sent), key)
            yield tt + rtt, i.udp(cport, dport, wire)
            tt += rtt
            if tt >= next_alive:
                wire, _ = p2p.pppp_payload("ALIVE", b"", key)
                yield tt, o.udp(dport, cport, wire)
                wire, _ = p2p.pppp_payload("ALIVE_ACK", b"", key)
                yield tt + rtt, i.udp(cport, dport, wire)
                next_alive = tt + rng.randrange(800, 1200) * MS
                tt += rtt
            t = tt + rng.randrange(50, 300) * MS

    def doorbell(self, rng, d):
        """Bursts of 1-5 RTP-like datagrams to port 1 of a cloud address, long silences."""
        o, _ = flow(rng, d, "106.13.%d.%d" % (rng.randrange(256), rng.randrange(1, 255)))
        port = ephemeral(rng)
        ssrc, seq = rng.getrandbits(32), rng.getrandbits(16)
        t = rng.randrange(10 * S, 120 * S)
        while t < self.dur:
            for _ in range(rng.randrange(1, 6)):
                yield t, o.udp(port, 1, pl.rtp_like(seq, t // 125, ssrc, rbytes(rng, 160)))
                seq += 1
                t += rng.randrange(20, 300) * MS
            t += rng.randrange(63, 900) * S
