"""UDP streams and sessions of a home with cameras and screens: RTP-like video (cameras
recording to the NAS, video calls), game traffic at 20-60 Hz, QUIC fetches on UDP 443.

The RTP-like and game datagrams go to random high ports that no Wireshark dissector is
registered on (pcapgen.p2ptraffic.free_port), and tshark 4.0's RTP heuristic is off by default,
so tshark shows them as plain UDP data: the datagrams every UDP heuristic of a plugin sees.
"""
import heapq
import struct

from pcapgen import payloads as pl
from pcapgen import p2ptraffic as p2p
from pcapgen import quic

from .blocks import addr_in, dns_lookup, rbytes
from .wire import MS, S, flow

RTP_CHUNK = 1188                 # RTP payload per packet (1200-byte RTP datagrams)
VIDEO_PT, AUDIO_PT = 96, 111      # dynamic payload types (H.264, Opus): RTCP's heuristic never
#                                   takes them, with or without the marker bit
SFU_PREFIXES = ("170.114", "144.195", "52.202", "162.255")   # video-call relays
GAME_PREFIXES = ("185.50", "104.160", "162.249", "45.121")
QUIC_SITES = [("rr%d---sn-%04x.googlevideo.com", "173.194"), ("www.youtube.com", "142.250"),
              ("i.ytimg.com", "142.250"), ("www.google.com", "142.250"), ("scontent.xx.fbcdn.net", "157.240"),
              ("play.googleapis.com", "172.217"), ("video.xx.fbcdn.net", "157.240")]


def rtp_packets(rng, send, t, secs, kbps, fps=25, gop_s=2, ssrc=None, pt=VIDEO_PT):
    """An RTP-like video stream: frames every 1/fps s, an I frame (5x the mean) every gop_s
    seconds, each frame cut into 1200-byte datagrams paced 150-400 us apart, the marker bit on
    a frame's last one, a 90 kHz timestamp. `send(t, payload)` makes the (t, frame)."""
    ssrc = rng.getrandbits(32) if ssrc is None else ssrc
    seq, ts = rng.getrandbits(16), rng.getrandbits(32)
    gop = fps * gop_s
    mean = kbps * 1000 / 8 / fps
    p_mean = mean * (gop - 5) / (gop - 1)
    end = t + int(secs * S)
    frame_us = S // fps
    k = 0
    while t < end:
        size = int(5 * mean if k % gop == 0 else p_mean * rng.uniform(0.6, 1.4))
        tt = t
        while size > 0:
            chunk = min(size, RTP_CHUNK)
            size -= chunk
            hdr = struct.pack("!BBHII", 0x80, (0x80 if size <= 0 else 0) | pt, seq & 0xFFFF, ts & 0xFFFFFFFF, ssrc)
            yield send(tt, hdr + rbytes(rng, max(chunk, 20)))
            seq += 1
            tt += rng.randrange(150, 400)
        k += 1
        ts += 90000 // fps
        t = max(t + frame_us, tt)     # a frame larger than its slot delays the next one


def rtp_packets_per_s(kbps, fps=25):
    """About how many datagrams rtp_packets sends per second at `kbps` (for the planner): the
    bytes in full datagrams, plus each frame's last, partly filled one."""
    return kbps * 1000 / 8 / RTP_CHUNK + fps * 0.5


def rtp_audio(rng, send, t, secs, ssrc=None):
    """Opus-like audio: a 60-160-byte RTP datagram every 20 ms."""
    ssrc = rng.getrandbits(32) if ssrc is None else ssrc
    seq, ts = rng.getrandbits(16), rng.getrandbits(32)
    end = t + int(secs * S)
    while t < end:
        hdr = struct.pack("!BBHII", 0x80, AUDIO_PT, seq & 0xFFFF, ts & 0xFFFFFFFF, ssrc)
        yield send(t + rng.randrange(0, 2 * MS), hdr + rbytes(rng, rng.randrange(60, 160)))
        seq += 1
        ts += 960
        t += 20 * MS


def rtcp_sr(rng, ssrc, t_us, packets):
    """An RTCP sender report (RFC 3550 6.4.1, no report blocks)."""
    return struct.pack("!BBHIQIII", 0x80, 200, 6, ssrc, (t_us // S) << 32, t_us // 11 & 0xFFFFFFFF,
                       packets, packets * 1100)


def rtcp_rr(rng, ssrc, media_ssrc):
    """An RTCP receiver report with one report block."""
    return struct.pack("!BBHI", 0x81, 201, 7, ssrc) + struct.pack(
        "!IIIIII", media_ssrc, rng.randrange(0, 50), rng.getrandbits(16), rng.randrange(0, 40), 0, 0)


def free_pair(rng):
    """An even port that, with the odd one above it (RTP and RTCP), no stock Wireshark
    dissector is registered on and no P2P platform uses."""
    taken = p2p.WIRESHARK_UDP_PORTS | {p2p.KALAY_LAN_PORT, p2p.PPPP_SERVER_PORT, p2p.PPPP_LAN_PORT,
                                       p2p.KALAY_SERVER_PORT}
    while True:
        p = p2p.free_port(rng) & ~1
        if p + 1 < 65536 and p not in taken and p + 1 not in taken:
            return p


def merge_gens(*gens):
    """Time-ordered merge of sub-generators of (t, frame) (each already in order)."""
    return heapq.merge(*gens, key=lambda x: x[0])


def game_payload(rng, n, seq):
    """A game datagram: a 4-byte sequence and random state; drawn again in the rare case tshark
    would take it for connectionless OSI transport (its CLTP heuristic)."""
    while True:
        p = struct.pack("<I", seq & 0xFFFFFFFF) + rbytes(rng, max(0, n - 4))
        if not p2p.tshark_trap(p):
            return p
        seq += 1


class Streams:
    """Mixed into a Planner (self.dur, self.devs["nas"] as the recorder)."""

    def recorder_stream(self, rng, cam, kbps):
        """A camera streaming RTP to the NAS for the whole capture (RTSP-negotiated, UDP on an
        even pair of high ports), the NAS's RTCP receiver reports every 5 s."""
        nas = self.devs["nas"][0]
        o, i = flow(rng, cam, nas.ipb, peer=nas)
        cport, sport = free_pair(rng), free_pair(rng)
        ssrc = rng.getrandbits(32)
        t0 = rng.randrange(0, 2 * S)
        video = rtp_packets(rng, lambda t, p: (t, o.udp(sport, cport, p)), t0, self.dur / S, kbps, ssrc=ssrc)
        rr = ((t, i.udp(cport + 1, sport + 1, rtcp_rr(rng, ssrc ^ 1, ssrc)))
              for t in range(t0 + 5 * S, self.dur, 5 * S))
        yield from merge_gens(video, rr)

    def video_call(self, rng, d, t, secs, up_kbps, down_kbps):
        """A video call through a relay: a STUN binding, then RTP video and audio both ways
        on one 5-tuple (like WebRTC's bundled SRTP), RTCP every 2 s."""
        relay = addr_in(rng, rng.choice(SFU_PREFIXES))
        o, i = flow(rng, d, relay)
        cport = p2p.free_port(rng)
        rport = p2p.free_port(rng, 8801, 8811)
        req = pl.stun_binding_request(rng)
        yield t, o.udp(cport, rport, req)
        yield t + 30 * MS, i.udp(rport, cport, b"\x01\x01" + req[2:])   # a binding success response
        t += 60 * MS
        up, down = (lambda tt, p: (tt, o.udp(cport, rport, p))), (lambda tt, p: (tt, i.udp(rport, cport, p)))
        ssrc = rng.getrandbits(32)
        rtcp = ((tt, o.udp(cport, rport, rtcp_sr(rng, ssrc, tt, 0))) for tt in range(t, t + int(secs * S), 2 * S))
        yield from merge_gens(rtp_packets(rng, up, t, secs, up_kbps, fps=rng.choice((15, 24, 30)), ssrc=ssrc),
                              rtp_packets(rng, down, t + 5 * MS, secs, down_kbps, fps=rng.choice((24, 30))),
                              rtp_audio(rng, up, t, secs), rtp_audio(rng, down, t + 7 * MS, secs), rtcp)

    def game(self, rng, d, t, secs, client_hz, server_hz):
        """An online game: the client's input at client_hz (30-90-byte datagrams), the server's
        snapshots at server_hz (60-500 bytes), on a game server's high port."""
        server = addr_in(rng, rng.choice(GAME_PREFIXES))
        o, i = flow(rng, d, server)
        cport, sport = p2p.free_port(rng), p2p.free_port(rng, 9000, 30000)
        rtt = rng.randrange(15, 60) * MS

        def ticks(hz, send, lo, hi, t0):
            seq, step = rng.getrandbits(20), S // hz
            for tt in range(t0, t0 + int(secs * S), step):
                yield send(tt + rng.randrange(0, 2 * MS), game_payload(rng, rng.randrange(lo, hi), seq))
                seq += 1

        yield from merge_gens(ticks(client_hz, lambda tt, p: (tt, o.udp(cport, sport, p)), 30, 90, t),
                              ticks(server_hz, lambda tt, p: (tt, i.udp(sport, cport, p)), 60, 500, t + rtt))

    def quic_fetch(self, rng, d, t, chunks, link):
        """A QUIC v1 connection to UDP 443: DNS, the client's Initial (ClientHello with SNI,
        real Initial protection: tshark decrypts it), the server's Initial and Handshake
        packets, then 1-RTT short-header packets: a request, the response at `link` bytes/us,
        an ACK every second packet; `chunks` is a list of (pause s, response bytes)."""
        name_fmt, prefix = rng.choice(QUIC_SITES)
        name = name_fmt % (rng.randrange(1, 9), rng.getrandbits(16)) if "%" in name_fmt else name_fmt
        server = addr_in(rng, prefix)
        t = (yield from dns_lookup(rng, t, d, self.resolver(rng, d), name, [server])) + 20 * MS
        o, i = flow(rng, d, server)
        cport = p2p.free_port(rng)
        rtt = rng.randrange(8, 40) * MS
        odcid, scid = rng.randbytes(8), rng.randbytes(8)     # the client's CID is empty, as Chrome's
        ch = pl.tls_client_hello(rng, name)
        sh = pl.tls_server_hello(rng, ch)
        sh = sh[5:5 + struct.unpack_from("!H", sh, 3)[0]]
        yield t, o.udp(cport, 443, quic.initial_packet(odcid, odcid, b"", 0, quic.crypto_frame(ch[5:]), pad_to=1200))
        t += rtt
        yield t, i.udp(443, cport, quic.initial_packet(odcid, b"", scid, 0, quic.ack_frame(0) + quic.crypto_frame(sh),
                                                       server=True))
        for k in range(2):
            yield t + 200 + k * 150, i.udp(443, cport, long_header(rng, 2, b"", scid, rng.randrange(900, 1200)))
        t += rtt
        yield t, o.udp(cport, 443, long_header(rng, 2, scid, b"", rng.randrange(60, 90)))
        for pause, size in chunks:
            t += int(pause * S)
            yield t, o.udp(cport, 443, short_header(rng, scid, rng.randrange(60, 160)))
            t += rtt
            gap = max(int(1250 / link), 60)
            for k in range(max(1, size // 1250)):
                yield t, i.udp(443, cport, short_header(rng, b"", rng.randrange(1200, 1251)))
                if k & 1:
                    yield t + 40, o.udp(cport, 443, short_header(rng, scid, rng.randrange(35, 50)))
                t += gap


def long_header(rng, ptype, dcid, scid, n):
    """A protected long-header packet (type 2: Handshake) of `n` bytes of packet number and
    payload, which tshark shows without keys to decrypt it."""
    first = 0xC0 | ptype << 4 | rng.getrandbits(4)
    return (bytes([first]) + b"\x00\x00\x00\x01" + bytes([len(dcid)]) + dcid + bytes([len(scid)]) + scid
            + struct.pack("!H", 0x4000 | n) + rbytes(rng, n))


def short_header(rng, dcid, n):
    """A protected 1-RTT packet of `n` bytes: fixed bit set, the destination CID, payload."""
    return bytes([0x40 | rng.getrandbits(6)]) + dcid + rbytes(rng, n - 1 - len(dcid))
