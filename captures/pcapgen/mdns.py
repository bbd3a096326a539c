"""Multicast DNS (RFC 6762, DNS-SD RFC 6763) responses a device sends to announce itself:
UDP 5353 -> 224.0.0.251 / ff02::fb, hop limit 255, ID 0, flags QR + AA, no question.

The device's own host name is the owner of its A / AAAA records (`Living-Room.local`);
service records (PTR, SRV, TXT) name the service instance and point at that host name.
Like real responders, a response to a service query carries the PTR in the answer section
and SRV, TXT, A and AAAA in the additional section; an unsolicited announcement carries all
of them as answers.
"""
from . import dns_records as rr

PORT = 5353
GROUP4, GROUP6 = "224.0.0.251", "ff02::fb"
HOP_LIMIT = 255
FLAGS_RESPONSE = 0x8400  # QR, AA


def _host_records(host_name, addrs):
    return [rr.aaaa(host_name, x) if ":" in str(x) else rr.a(host_name, x) for x in addrs]


def _service_records(service, instance, host_name, port, txt):
    full = "%s.%s" % (instance, service)
    return rr.ptr(service, full), [rr.srv(full, host_name, port), rr.txt(full, txt)]


def host_announcement(host_name, addrs) -> bytes:
    """Unsolicited announcement of the host name's A / AAAA records (as after probing)."""
    return rr.message(0, FLAGS_RESPONSE, answers=_host_records(host_name, addrs))


def service_announcement(service, instance, host_name, port, txt, addrs) -> bytes:
    """Unsolicited announcement: PTR, SRV, TXT and the host's A / AAAA, all as answers."""
    p, others = _service_records(service, instance, host_name, port, txt)
    return rr.message(0, FLAGS_RESPONSE, answers=[p] + others + _host_records(host_name, addrs))


def service_response(service, instance, host_name, port, txt, addrs) -> bytes:
    """Answer to a PTR query for `service`: the PTR as answer; SRV, TXT, A, AAAA additional."""
    p, others = _service_records(service, instance, host_name, port, txt)
    return rr.message(0, FLAGS_RESPONSE, answers=[p], additional=others + _host_records(host_name, addrs))


def query(qid, name, qtype=rr.TYPE_PTR) -> bytes:
    return rr.message(qid, 0, questions=[(name, qtype)])
