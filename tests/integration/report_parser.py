"""Parses the text of `tshark -z phonehome,devices.full` (the table of every
column) into rows (dicts)."""
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
