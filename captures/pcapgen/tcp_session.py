"""A TCP conversation with consistent sequence and acknowledgement numbers.

The session only tracks TCP state; it hands each segment to an `emit` callback
    emit(ts_us, from_client, seq, ack, flags, payload, window, options)
which builds the frame (see lan.Lan.tcp_session). Times are integer microseconds
as seen at the capture point; the caller picks them, the session never reorders.
"""
from .transport import ACK, FIN, PSH, RST, SYN, tcp_options

MSS = 1460


class TcpSession:
    def __init__(self, emit, isn_client: int, isn_server: int, win_client=64240, win_server=65160,
                 mss=MSS):
        self.emit = emit
        self.nxt = {True: isn_client & 0xFFFFFFFF, False: isn_server & 0xFFFFFFFF}
        self.win = {True: win_client, False: win_server}
        self.mss = mss
        self.established = False

    def _send(self, ts, from_client, flags, payload=b"", options=b"", seq=None, ack=None, beat=None):
        if seq is None:
            seq = self.nxt[from_client]
        if ack is None:
            ack = self.nxt[not from_client] if flags & ACK else 0
        if beat is None:
            self.emit(ts, from_client, seq, ack, flags, payload, self.win[from_client], options)
        else:  # a planned heartbeat (see lan.Lan.beat_marks); only data segments carry one
            assert payload, "a heartbeat mark needs a payload"
            self.emit(ts, from_client, seq, ack, flags, payload, self.win[from_client], options, beat=beat)
        used = len(payload) + (1 if flags & (SYN | FIN) else 0)
        self.nxt[from_client] = (seq + used) & 0xFFFFFFFF

    # -- handshake ---------------------------------------------------------
    def syn(self, ts, retransmit=False):
        """Client SYN. With retransmit=True, resend the same SYN (same sequence number)."""
        seq = (self.nxt[True] - 1) & 0xFFFFFFFF if retransmit else None
        self._send(ts, True, SYN, options=tcp_options(mss=self.mss, sack_perm=True), seq=seq)

    def syn_ack(self, ts):
        self._send(ts, False, SYN | ACK, options=tcp_options(mss=self.mss, sack_perm=True))

    def ack(self, ts, from_client=True):
        self._send(ts, from_client, ACK)

    def rst(self, ts, from_client, with_ack=False):
        self._send(ts, from_client, RST | (ACK if with_ack else 0))

    def connect(self, ts, rtt):
        """SYN, SYN-ACK after rtt, ACK 100 us later. Returns the time of the last segment."""
        self.syn(ts)
        self.syn_ack(ts + rtt)
        self.ack(ts + rtt + 100)
        self.established = True
        return ts + rtt + 100

    # -- data --------------------------------------------------------------
    def segment(self, ts, from_client, data: bytes, push=True, beat=None):
        """One data segment (ACK, PSH if push), no ACK from the peer. beat: heartbeat mark."""
        self._send(ts, from_client, ACK | (PSH if push else 0), data, beat=beat)

    def send(self, ts, from_client, data: bytes, rtt, gap=30, beat=None):
        """Send data in MSS-sized segments `gap` us apart, then a pure ACK from the peer
        (timestamped rtt after the last segment when the sender is the client, 200 us
        after when the sender is the server, as seen from the client's LAN).
        Returns the time of the ACK."""
        chunks = [data[i:i + self.mss] for i in range(0, len(data), self.mss)] or [b""]
        t = ts
        for i, chunk in enumerate(chunks):
            flags = ACK | (PSH if i == len(chunks) - 1 else 0)
            self._send(t, from_client, flags, chunk, beat=beat if chunk else None)
            t += gap
        t_ack = t - gap + (rtt if from_client else 200)
        self._send(t_ack, not from_client, ACK)
        return t_ack

    def exchange(self, ts, request: bytes, response: bytes, rtt, server_think=0, beat=None, reply_beat=None):
        """Client request, server response (the response's data ACKs the request, so no
        separate ACK for the request), then the client's ACK. Returns the end time.
        beat / reply_beat: heartbeat marks of the request / response segments."""
        chunks = [request[i:i + self.mss] for i in range(0, len(request), self.mss)]
        t = ts
        for i, chunk in enumerate(chunks):
            self._send(t, True, ACK | (PSH if i == len(chunks) - 1 else 0), chunk, beat=beat)
            t += 30
        return self.send(t - 30 + rtt + server_think, False, response, rtt, beat=reply_beat)

    # -- teardown ----------------------------------------------------------
    def close(self, ts, from_client, rtt):
        """FIN from one side, FIN-ACK from the other, final ACK. Returns the end time."""
        self._send(ts, from_client, FIN | ACK)
        peer_t = ts + (rtt if from_client else 200)
        self._send(peer_t, not from_client, FIN | ACK)
        end = peer_t + (100 if from_client else rtt)
        self._send(end, from_client, ACK)
        return end
