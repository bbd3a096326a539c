"""Markdown tables of the measurements, ready to paste into bench/README.md and the README:
one detailed table per capture, and a summary of every mix's ratios next to issue 16's goals."""
from measure import CONFIGS, goals_for


def _mb(b):
    return "%.0f" % (b / 1e6)


def _label(pname, config):
    if pname == "report":
        return config + (" (-z conv,ip)" if config == "plain" else " (-z phonehome,devices)")
    return config


def detail_table(summary, packets):
    """Per pass and configuration: medians of wall and CPU time, wall range, packets/s, peak
    RSS; ratios on the phonehome row."""
    lines = ["| pass | configuration | median wall (s) | min-max (s) | packets/s | peak RSS (MB) | time ratio | "
             "memory ratio | median CPU (s) | CPU ratio |",
             "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for pname, s in summary.items():
        for config in CONFIGS:
            if config not in s:
                continue
            c = s[config]
            r = s.get("ratios") if config == "phonehome" else None
            lines.append("| %s | %s | %.2f | %.2f-%.2f | %s | %s | %s | %s | %.2f | %s |" % (
                pname, _label(pname, config), c["wall_s"], c["wall_min_s"], c["wall_max_s"],
                "{:,}".format(int(packets / c["wall_s"])) if packets and c["wall_s"] else "?",
                _mb(c["peak_rss_bytes"]), _ratio(r, "wall"), _ratio(r, "memory"), c["cpu_s"], _ratio(r, "cpu")))
    return lines


def _ratio(r, key):
    return "%.3f" % r[key] if r and r.get(key) is not None else ""


def _against(value, goal):
    """A ratio and whether it meets its goal: "1.021 (met)", "1.079 (MISSED)", "1.082" without a goal."""
    if value is None:
        return "?"
    if goal is None:
        return "%.3f" % value
    return "%.3f (%s)" % (value, "met" if value <= goal else "MISSED")


def _goal(g):
    return "<= %.2f" % g if g is not None else "-"


def plain_spread(s):
    """How far plain tshark's own runs of a pass spread: (slowest - fastest) / median wall
    time, None without runs. The same command on the same bytes: what it shows is the
    machine's noise, which a time ratio cannot be judged finer than."""
    c = s.get("plain")
    if not c or not c.get("wall_s"):
        return None
    return (c["wall_max_s"] - c["wall_min_s"]) / c["wall_s"]


def _percent(v):
    return "%.0f %%" % (100 * v) if v is not None else "?"


def summary_table(rows):
    """rows: (mix, packets, summary) per capture. One line per mix and pass: the wall, CPU
    and peak-memory ratios of the medians, each judged against its goal (the report pass has
    none), the medians of the paired wall and CPU ratios, shown but not judged, and the
    spread of plain tshark's own runs (plain_spread: the noise the ratios stand in)."""
    lines = ["| mix | packets | pass | wall ratio | CPU ratio | time goal | memory ratio | memory goal | "
             "paired wall | paired CPU | plain spread |",
             "|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for mix, packets, summary in rows:
        for pname, s in summary.items():
            r = s.get("ratios") or {}
            p = s.get("paired_ratios") or {}
            tg, mg = goals_for(mix, pname)
            lines.append("| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
                mix, "{:,}".format(packets) if packets else "?", pname if tg else pname + " (indicative)",
                _against(r.get("wall"), tg), _against(r.get("cpu"), tg), _goal(tg),
                _against(r.get("memory"), mg), _goal(mg), _ratio(p, "wall"), _ratio(p, "cpu"),
                _percent(plain_spread(s))))
    return lines


def verdict(rows):
    """The ratios that miss their goals, as text lines (empty when every goal is met)."""
    out = []
    for mix, _, summary in rows:
        for pname, s in summary.items():
            r = s.get("ratios") or {}
            tg, mg = goals_for(mix, pname)
            for key, goal in (("wall", tg), ("cpu", tg), ("memory", mg)):
                if goal is not None and r.get(key) is not None and r[key] > goal:
                    out.append("%s %s: %s ratio %.3f > %.2f" % (mix, pname, key, r[key], goal))
    return out
