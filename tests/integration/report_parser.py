"""Parses report text: `tshark -z phonehome,devices.full` (the table of every
column) into rows (dicts), and tshark's own `-z endpoints` and `-z conv`
tables."""
import re


def parse_devices_report(text):
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if line.startswith("Device ") and "MAC" in line:
            header_line = line
            start = i + 1
            break
    else:
        raise AssertionError("no device table in:\n" + text)
    headers = split_columns(header_line)
    rows = {}
    for line in lines[start:]:
        if line.startswith("=") or not line.strip():
            break
        # Columns are at least two spaces apart; names and cells may hold
        # single spaces ("First seen (s)", "Axis Communications AB").
        cells = re.split(r" {2,}", line.strip())
        if len(cells) != len(headers):
            raise AssertionError("row does not fit the header:\n%s\n%s" % (header_line, line))
        rows[cells[0]] = dict(zip(headers, cells))
    return rows


def split_columns(header_line):
    """Column names are separated by two or more spaces."""
    names, current, spaces = [], "", 0
    for ch in header_line:
        if ch == " ":
            spaces += 1
            continue
        if spaces >= 2 and current:
            names.append(current)
            current = ""
        elif spaces == 1 and current:
            current += " "
        spaces = 0
        current += ch
    if current:
        names.append(current)
    return names


SIZE_UNITS = {"bytes": 1, "kB": 10**3, "MB": 10**6, "GB": 10**9, "TB": 10**12}


class Size:
    """A byte count as `-z endpoints` prints it: exact up to 4.4 ("118420"),
    with a unit from 4.6 on ("1612 bytes", "118 kB"): equal to every count
    that prints the same."""

    def __init__(self, number, unit=1):
        self.number, self.unit = number, unit

    def __eq__(self, count):
        if self.unit == 1:
            return count == self.number
        return (self.number - 0.5) * self.unit <= count < (self.number + 1) * self.unit

    def __repr__(self):
        return "%d%s" % (self.number, "" if self.unit == 1 else " x%d" % self.unit)


def parse_endpoints(text):
    """Rows of every `-z endpoints,ip|ipv6` table: addr -> (packets, bytes, tx packets),
    bytes as a Size."""
    rows, in_table = {}, False
    for line in text.splitlines():
        if line.strip().startswith("|") and "Packets" in line:
            in_table = True
            continue
        if line.startswith("="):
            in_table = False
            continue
        if in_table and line.strip():
            addr, *tokens = line.split()
            cells = []
            for token in tokens:
                if token in SIZE_UNITS:
                    cells[-1] = Size(cells[-1].number, SIZE_UNITS[token])
                else:
                    cells.append(Size(int(token)))
            rows[addr] = (cells[0].number, cells[1], cells[2].number)
    return rows


CONV = re.compile(r"^(\S+)\s+<->\s+(\S+)\s+(\d+) (\d+) (bytes|kB|MB)\s+(\d+) (\d+) (bytes|kB|MB)")
SCALE = {"bytes": 1, "kB": 1000, "MB": 1000 * 1000}


def parse_conversations(text):
    """(a, b) -> (frames b->a, bytes b->a, unit, frames a->b, bytes a->b, unit)."""
    out = {}
    for line in text.splitlines():
        m = CONV.match(line)
        if m:
            a, b = m.group(1), m.group(2)
            out[(a, b)] = (int(m.group(3)), int(m.group(4)), m.group(5), int(m.group(6)), int(m.group(7)), m.group(8))
    return out


def shown(value, unit):
    return value * SCALE[unit]


def own_addresses(stack, ip_src, ip_dst, ip6_src, ip6_dst):
    """(source, destination) of a frame's own IP header from tshark -T fields:
    the innermost one of its layer stack (`stack`, frame.protocols split at
    ':' and cut after any ICMP, whose quote is no traffic), picked from the
    comma-separated occurrences of ip.src/ip.dst or ipv6.src/ipv6.dst; None
    when the frame has none."""
    layers = [p for p in stack if p in ("ip", "ipv6")]
    if not layers:
        return None
    family = layers[-1]
    index = layers.count(family) - 1
    src = (ip_src if family == "ip" else ip6_src).split(",")
    dst = (ip_dst if family == "ip" else ip6_dst).split(",")
    if index >= len(src) or index >= len(dst):
        return None
    return src[index], dst[index]


def assert_rows_match_conversations(test, rows, conversations):
    """Each remotes-report row (CSV/JSON dict) has the packets and bytes
    each way of its conversation in -z conv,ip/-z conv,ipv6 (bytes as
    precisely as tshark prints them). Returns how many rows were checked."""
    for r in rows:
        key = (r["device"], r["remote"])
        if key in conversations:
            in_f, in_b, in_u, out_f, out_b, out_u = conversations[key]
        else:
            out_f, out_b, out_u, in_f, in_b, in_u = conversations[(r["remote"], r["device"])]
        test.assertEqual((int(r["packets_out"]), int(r["packets_in"])), (out_f, in_f), key)
        for ours, value, unit in ((int(r["bytes_out"]), out_b, out_u), (int(r["bytes_in"]), in_b, in_u)):
            test.assertLess(abs(ours - shown(value, unit)), SCALE[unit], key)
    return len(rows)
