"""SSDP (UPnP Device Architecture 1.1 section 1): what a UPnP device sends about itself, with
its SERVER string ("OS/version UPnP/1.0 product/version"):
- NOTIFY * HTTP/1.1, NTS: ssdp:alive, to 239.255.255.250:1900 (one per advertised type);
- HTTP/1.1 200 OK to an M-SEARCH, unicast from port 1900 back to the searcher's port.
The M-SEARCH itself is payloads.ssdp_msearch.
"""
PORT = 1900
GROUP4 = "239.255.255.250"
HOP_LIMIT = 4  # UDA 1.1: "SHOULD default to 2"; many stacks send 4


def _http(start, headers) -> bytes:
    lines = "".join(("%s: %s\r\n" % (k, v)) if v else ("%s:\r\n" % k) for k, v in headers)
    return ("%s\r\n%s\r\n" % (start, lines)).encode("utf-8")


def _usn(uuid, nt):
    return "uuid:%s" % uuid if nt == "uuid:%s" % uuid else "uuid:%s::%s" % (uuid, nt)


def notify_alive(server, location, uuid, nt, max_age=1800) -> bytes:
    return _http("NOTIFY * HTTP/1.1", [("HOST", "%s:%d" % (GROUP4, PORT)),
                                       ("CACHE-CONTROL", "max-age=%d" % max_age), ("LOCATION", location),
                                       ("NT", nt), ("NTS", "ssdp:alive"), ("SERVER", server),
                                       ("USN", _usn(uuid, nt))])


def search_response(server, location, uuid, st, date, max_age=1800) -> bytes:
    """`date`: the RFC 1123 date text of the DATE header (the caller derives it from the
    frame time, so the output stays deterministic)."""
    return _http("HTTP/1.1 200 OK", [("CACHE-CONTROL", "max-age=%d" % max_age), ("DATE", date), ("EXT", ""),
                                     ("LOCATION", location), ("SERVER", server), ("ST", st),
                                     ("USN", _usn(uuid, st))])
