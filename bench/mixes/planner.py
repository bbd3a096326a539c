"""The planner every mix builds on: a household of devices, activities planned over the
capture (each a generator of (time, frame) with its own random stream) and their k-way merge
into one time-ordered pcap."""
import heapq
import ipaddress
import random

from pcapgen.pcap_writer import GLOBAL_HEADER, LINKTYPE_ETHERNET, MAGIC, RECORD_HEADER, SNAPLEN

from .wire import S, Host

START_US = 1_717_236_000 * S    # 2024-06-01 10:00 UTC


class Planner:
    """A mix: HOUSEHOLD lists (kind, count, MAC OUI) of its devices; plan() adds activities
    with add() until their estimated packets reach about 1.1x the requested count."""
    HOUSEHOLD = ()
    DUAL_STACK = ("phone", "laptop", "tablet", "desktop")   # kinds with a global IPv6 address
    ADDRESS_GAP = 3          # addresses are 1 to ADDRESS_GAP apart (a large household needs less)
    DEFAULT_PACKETS = 1_000_000
    PACKETS_PER_HOUR = 1_000_000

    @classmethod
    def default_hours(cls, packets):
        """The capture time of `packets`: in proportion, so that a smaller capture keeps about
        the default one's composition (the fixed background by the hour keeps its share)."""
        return packets / cls.PACKETS_PER_HOUR

    def __init__(self, seed, packets, hours):
        self.rng = random.Random(seed)
        self.seed = seed
        self.n = packets
        self.dur = int(hours * 3600 * S)
        self.acts = []       # (kind, callable(rng) -> generator)
        self.est = {}        # kind -> estimated packets
        self.devs = {}
        self._k = 0
        self._phase = self.rng.random()

    def add(self, kind, est, gen_fn):
        self.acts.append((kind, gen_fn))
        self.est[kind] = self.est.get(kind, 0) + est

    def _sub(self, fn, *args):
        return lambda rng: fn(rng, *args)

    def household(self):
        rng = self.rng
        octet = 10
        for kind, count, oui in self.HOUSEHOLD:
            for k in range(count):
                mac = oui + ":%02x:%02x:%02x" % (rng.randrange(256), rng.randrange(256), rng.randrange(256))
                ip6 = None
                if kind in self.DUAL_STACK:
                    ip6 = "2a01:cb00:7a1c:4e00:%x:%x:%x:%x" % tuple(rng.getrandbits(16) for _ in range(4))
                if octet > 254:
                    raise ValueError("the household does not fit in 192.168.1.0/24")
                h = Host("%s%d" % (kind, k + 1), kind, "192.168.1.%d" % octet, mac, ip6)
                h.ll6 = ipaddress.IPv6Address("fe80::%x:%x:%x:%x" % tuple(rng.getrandbits(16) for _ in range(4))).packed
                self.devs.setdefault(kind, []).append(h)
                octet += 1 + rng.randrange(self.ADDRESS_GAP)
        self.all = [h for hs in self.devs.values() for h in hs]

    def of(self, *kinds):
        return [h for k in kinds for h in self.devs.get(k, [])]

    def when(self, rng, min_left_s=60):
        # Golden-ratio sequence (with a random phase): starts spread evenly over the capture,
        # so a truncated capture still has every kind of traffic in its last hours.
        self._k += 1
        u = (self._phase + self._k * 0.6180339887498949) % 1.0
        return int(u * max(1, self.dur - min_left_s * S))

    def span(self, secs):
        """A session's length in seconds, at most a third of the capture: a small capture of a
        mix whose hours scale with its packets keeps whole sessions, so its composition."""
        return min(secs, max(10, int(self.dur / S / 3)))

    def fill(self, target, shares, last):
        """Plans sessions until each (kind, share of what the fixed background leaves, plan
        function) has its share, then `last` until the estimate reaches `target`. (The web
        mix's way, kept for its byte-identical capture; one long session can take the place
        of `last`: fill_balanced does not let it.)"""
        rest = max(0, target - sum(self.est.values()))
        for kind, share, fn in shares:
            goal = self.est.get(kind, 0) + share * rest
            while self.est.get(kind, 0) < goal:
                fn()
        while sum(self.est.values()) < target:
            last()

    def fill_balanced(self, target, shares):
        """Plans sessions until the estimate reaches `target`, each time one of the kind
        furthest below its share (of what the fixed background leaves) of (kind, share, plan
        function), the shares summing to 1: a long session overshoots its own share only."""
        base = dict(self.est)
        rest = max(1, target - sum(self.est.values()))
        while sum(self.est.values()) < target:
            _, _, fn = min(shares, key=lambda s: (self.est.get(s[0], 0) - base.get(s[0], 0)) / (s[1] * rest))
            fn()

    def plan(self):
        raise NotImplementedError

    def streams(self):
        out = []
        for aid, (kind, fn) in enumerate(self.acts):
            # Each activity has its own generator seeded from (seed, index): laziness and merge
            # order never change what it produces.
            rng = random.Random(self.seed * 1_000_003 + aid)
            out.append(_tagged(fn(rng), aid, kind))
        return out


def _tagged(gen, aid, kind):
    for t, f in gen:
        yield t, aid, kind, f


def write(path, planner, limit):
    """Merges the planner's activities into a pcap at `path`, stopping at `limit` packets;
    returns (packets, bytes of frames, last time in us, packets by activity kind)."""
    counts, nbytes = {}, 0
    rec = RECORD_HEADER.pack
    last = 0
    n = 0
    with open(path, "wb", buffering=1 << 22) as f:
        f.write(GLOBAL_HEADER.pack(MAGIC, 2, 4, 0, 0, SNAPLEN, LINKTYPE_ETHERNET))
        for t, _aid, kind, frame in heapq.merge(*planner.streams()):
            if t < 0 or t >= planner.dur:
                continue
            if t < last:
                raise AssertionError("time went backwards")
            last = t
            sec, usec = divmod(START_US + t, S)
            f.write(rec(sec, usec, len(frame), len(frame)))
            f.write(frame)
            counts[kind] = counts.get(kind, 0) + 1
            nbytes += len(frame)
            n += 1
            if n >= limit:
                break
    return n, nbytes, last, counts
