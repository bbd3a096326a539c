"""Alternating runs of the two configurations on one capture, their medians and ratios, and
issue 16's goals.

Passes (each the same command in both configurations, except `report`):
  list    tshark -n -r FILE > /dev/null        every packet dissected for the summary columns
  tree    tshark -n -V -r FILE > /dev/null     every packet's full tree built and printed
  report  tshark -n -q -r FILE -z conv,ip      (plain) against
          tshark -n -q -r FILE -z phonehome,devices   (phonehome): different taps, indicative
(`tshark -n -q -r FILE` with no filter, tap or output dissects nothing and measures nothing.)
"""
import statistics

from harness import BenchError, log, run_measured

PASSES = {
    "list": (["-n", "-r", "{cap}"], ["-n", "-r", "{cap}"]),
    "tree": (["-n", "-V", "-r", "{cap}"], ["-n", "-V", "-r", "{cap}"]),
    "report": (["-n", "-q", "-r", "{cap}", "-z", "conv,ip"],
               ["-n", "-q", "-r", "{cap}", "-z", "phonehome,devices"]),
}
CONFIGS = ("plain", "phonehome")

# Issue 16's goals: phonehome / plain, on every home mix and on the flood. The report pass
# compares different taps, so it has none.
GOALS = {
    "mix": {"list": 1.03, "tree": 1.05, "memory": 1.05},
    "flood": {"list": 1.15, "tree": 1.15, "memory": 1.10},
}


def alternating(runs):
    """(run index, configuration) in the order the runs go: plain first on even runs,
    phonehome first on odd ones, so drifts in machine load hit both."""
    for i in range(runs):
        for config in (CONFIGS if i % 2 == 0 else CONFIGS[::-1]):
            yield i, config


def pass_args(pname, cap):
    """(plain argv, phonehome argv) of a pass on `cap`."""
    return tuple([x.format(cap=cap) for x in args] for args in PASSES[pname])


def measure(setup, cap, passes, runs, label="", out_path=None, on_run=None, on_error=None):
    """Runs each pass `runs` times per configuration, alternately. out_path(pname, config, i)
    gives the file a run's output goes to (None: /dev/null); on_run(pname, config, i, m,
    out) sees each measurement (a dict from harness.run_measured, with its stderr) and may
    add to it; on_error(pname, config, i, error), if given, is told of a tshark that failed
    and the runs go on (else the BenchError stops them). Returns {pass: {config:
    [measurement, ...]}} (stderr left out of the measurements)."""
    results = {}
    for pname in passes:
        argv = dict(zip(CONFIGS, pass_args(pname, cap)))
        res = {c: [] for c in CONFIGS}
        for i, config in alternating(runs):
            out = out_path(pname, config, i) if out_path else None
            try:
                m = run_measured(setup, config, argv[config], out)
            except BenchError as e:
                if on_error is None:
                    raise
                on_error(pname, config, i, e)
                continue
            m["run"] = i
            if on_run:
                on_run(pname, config, i, m, out)
            stderr = m.pop("stderr")
            if stderr.strip():
                log("  note: %s %s printed on stderr: %s" % (pname, config, stderr.strip()[:300]))
            res[config].append(m)
            log("  %s%-6s %-9s run %d/%d: %7.2f s (cpu %7.2f s)  %6.0f MB" % (
                label, pname, config, i + 1, runs, m["wall_s"], m["cpu_s"], m["peak_rss_bytes"] / 1e6))
        results[pname] = res
    return results


def paired_ratios(res):
    """The median, over the run indexes both configurations finished, of phonehome / plain
    within each pair (wall and CPU), and how many pairs; None without a pair. The two runs
    of a pair ran one after the other, so a drift in the machine's speed over minutes
    (which moves both medians' ratio) mostly cancels within the pair."""
    by_run = {c: {r["run"]: r for r in res.get(c) or [] if "run" in r} for c in CONFIGS}
    both = sorted(set(by_run["plain"]) & set(by_run["phonehome"]))
    if not both:
        return None
    out = {"pairs": len(both)}
    for key, field in (("wall", "wall_s"), ("cpu", "cpu_s")):
        ratios = [by_run["phonehome"][i][field] / by_run["plain"][i][field] for i in both if by_run["plain"][i][field]]
        out[key] = statistics.median(ratios) if ratios else None
    return out


def summarize(results):
    """Per pass: each configuration's medians (wall, CPU, peak RSS) and wall range, the
    ratios phonehome / plain of those medians (None where a configuration has no run; the
    goals are judged on these), and the medians of the paired ratios (paired_ratios)."""
    out = {}
    for pname, res in results.items():
        s = {}
        for config in CONFIGS:
            runs = res.get(config) or []
            if not runs:
                continue
            walls = [r["wall_s"] for r in runs]
            s[config] = {"wall_s": statistics.median(walls), "wall_min_s": min(walls), "wall_max_s": max(walls),
                         "cpu_s": statistics.median(r["cpu_s"] for r in runs),
                         "peak_rss_bytes": statistics.median(r["peak_rss_bytes"] for r in runs), "runs": len(runs)}
        if "plain" in s and "phonehome" in s:
            s["ratios"] = {k: s["phonehome"][v] / s["plain"][v] if s["plain"][v] else None
                           for k, v in (("wall", "wall_s"), ("cpu", "cpu_s"), ("memory", "peak_rss_bytes"))}
            paired = paired_ratios(res)
            if paired:
                s["paired_ratios"] = paired
        out[pname] = s
    return out


def goals_for(mix, pname):
    """(time goal, memory goal) of a pass on a mix, None where none applies."""
    g = GOALS["flood" if mix == "flood" else "mix"]
    return g.get(pname), (g["memory"] if pname in g else None)
