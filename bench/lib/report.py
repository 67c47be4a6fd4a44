#!/usr/bin/env python3
"""Turns bench/work/raw/ (wrk, hey and probe output) into bench/results.md and bench/latency.svg.

Usage: report.py RAW_DIR RESULTS_MD LATENCY_SVG. Standard library only.
"""
import csv
import glob
import json
import math
import os
import re
import statistics
import sys

UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}

TARGET_RATIO = 0.85
TARGET_ROTATION_RATIO = 0.75
TARGET_PRIVATE_MIB = 100.0
TARGET_P50_MS = 2.0
TARGET_P99_MS = 8.0
TARGET_REVOKE_MS = 1000.0
TARGET_RSS_MIB = 150.0
TARGET_GATEWAY_RATIO = 0.6
FIXED_RATE = 2000


def parse_wrk(path):
    text = open(path).read()
    result = {"rps": None, "latency": {}, "non2xx": 0, "socket_errors": 0, "requests": None}
    if m := re.search(r"Requests/sec:\s+([\d.]+)", text):
        result["rps"] = float(m.group(1))
    if m := re.search(r"(\d+) requests in", text):
        result["requests"] = int(m.group(1))
    for pct, value, unit in re.findall(r"^\s+(\d+)%\s+([\d.]+)(us|ms|s|m)\s*$", text, re.M):
        result["latency"][int(pct)] = float(value) * UNITS[unit]
    if m := re.search(r"Non-2xx or 3xx responses:\s+(\d+)", text):
        result["non2xx"] = int(m.group(1))
    if m := re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text):
        result["socket_errors"] = sum(int(g) for g in m.groups())
    return result


def parse_hey(path):
    text = open(path).read()
    result = {"rps": None, "latency": {}, "non2xx": 0, "socket_errors": 0, "requests": 0}
    if m := re.search(r"Requests/sec:\s+([\d.]+)", text):
        result["rps"] = float(m.group(1))
    for pct, secs in re.findall(r"^\s+(\d+)%% in ([\d.]+) secs", text, re.M) or re.findall(r"^\s+(\d+)% in ([\d.]+) secs", text, re.M):
        result["latency"][int(pct)] = float(secs) * 1000
    for status, count in re.findall(r"\[(\d{3})\]\s+(\d+) responses", text):
        result["requests"] += int(count)
        if not status.startswith("2"):
            result["non2xx"] += int(count)
    if "Error distribution" in text:
        result["socket_errors"] = sum(int(n) for n in re.findall(r"^\s+\[(\d+)\]\s+Get", text, re.M))
    return result


def parse_cpu(path):
    cpu = {}
    if os.path.exists(path):
        for line in open(path):
            name, value = line.split()
            cpu[name] = float(value)
    return cpu


def runs(raw, pattern, parser):
    found = []
    for path in sorted(glob.glob(os.path.join(raw, pattern)), key=lambda p: int(re.search(r"-(\d+)\.\w+$", p).group(1))):
        item = parser(path)
        item["cpu"] = parse_cpu(re.sub(r"\.txt$", ".cpu", path))
        found.append(item)
    return found


def load_json(raw, pattern):
    """Every file of the pattern in run order; a single file (no run number) as a list of one."""
    def run_number(path):
        match = re.search(r"-(\d+)\.json$", path)
        return int(match.group(1)) if match else 0

    return [json.load(open(p)) for p in sorted(glob.glob(os.path.join(raw, pattern)), key=run_number)]


def counters_summary(raw, name):
    """Sums dotnet-counters' per-interval rates over the run: allocations and CPU per request, GC pauses."""
    csv_path, wrk_path = os.path.join(raw, name + ".csv"), os.path.join(raw, name + ".txt")
    if not (os.path.exists(csv_path) and os.path.exists(wrk_path)):
        return None
    run = parse_wrk(wrk_path)
    if not run["requests"] or not run["rps"]:
        return None
    samples = {}
    for row in list(csv.reader(open(csv_path)))[1:]:
        if len(row) >= 5:
            samples.setdefault(row[2], []).append(float(row[4]))
    totals = {}
    for counter, values in samples.items():
        # An observable counter's first increments in a session can be its total since the process started:
        # drop the first sample and any sample far above the rest.
        values = values[1:]
        typical = statistics.median(values) if values else 0.0
        values = [v for v in values if typical == 0 or v <= 5 * typical]
        for key, prefix in (("alloc", "dotnet.gc.heap.total_allocated"), ("pause", "dotnet.gc.pause.time"),
                            ("cpu", "dotnet.process.cpu.time"), ("gen0", "dotnet.gc.collections")):
            if counter.startswith(prefix) and (key != "gen0" or "gen0" in counter):
                totals[key] = totals.get(key, 0.0) + sum(values)
    seconds = run["requests"] / run["rps"]
    return {
        "rps": run["rps"],
        "alloc_per_request": totals.get("alloc", 0.0) / run["requests"],
        "gen0_per_s": totals.get("gen0", 0.0) / seconds,
        "pause_share": totals.get("pause", 0.0) / seconds,
        "cpu_us_per_request": totals.get("cpu", 0.0) * 1e6 / run["requests"],
    }


def med(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def fmt(value, digits=0, suffix=""):
    if value is None:
        return "n/a"
    return f"{value:,.{digits}f}{suffix}"


def ms(value):
    if value is None:
        return "n/a"
    return f"{value:.2f} ms" if value < 10 else f"{value:.1f} ms"


def verdict(ok):
    return "n/a" if ok is None else ("**met**" if ok else "**missed**")


def cpu_cell(cpu, names=("rs1", "auth", "redis", "emulator")):
    if not cpu:
        return "n/a"
    services = sum(v for n, v in cpu.items() if n not in ("machine", "loadgen"))
    parts = [f"{n} {cpu[n]:.0f}%" for n in names if n in cpu and cpu[n] >= 0.5]
    parts.append(f"load generator {cpu.get('loadgen', 0.0):.0f}%")
    parts.append(f"other processes + kernel {max(cpu.get('machine', 0.0) - services - cpu.get('loadgen', 0.0), 0.0):.0f}%")
    return ", ".join(parts)


def validity(run):
    problems = []
    if run["non2xx"]:
        problems.append(f"{run['non2xx']:,} non-2xx")
    if run["socket_errors"]:
        problems.append(f"{run['socket_errors']:,} socket errors")
    return "; ".join(problems) or "all 2xx"


# ------------------------------------------------------------------------------------------ chart
def svg_chart(series, path):
    """Grouped bars (p50, p90, p99) per configuration, log-scale milliseconds, with the issue's targets."""
    series = [s for s in series if s["latency"]]
    width, height = 960, 440
    left, right, top, bottom = 70, 120, 50, 90
    plot_w, plot_h = width - left - right, height - top - bottom
    values = [v for s in series for v in s["latency"].values() if v]
    lo = 10 ** math.floor(math.log10(max(min(values + [TARGET_P50_MS]) * 0.9, 0.01)))
    hi = 10 ** math.ceil(math.log10(max(values + [TARGET_P99_MS]) * 1.05))

    def y(value):
        value = max(value, lo)
        return top + plot_h * (1 - (math.log10(value) - math.log10(lo)) / (math.log10(hi) - math.log10(lo)))

    colors = {50: "#4c78a8", 90: "#f58518", 99: "#e45756"}
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        'font-family="DejaVu Sans, Arial, sans-serif" font-size="12">',
        f'<rect width="{width}" height="{height}" fill="white"/>',
        f'<text x="{width / 2}" y="22" text-anchor="middle" font-size="15" font-weight="bold">'
        "ResourceService latency (median of runs; log scale)</text>",
    ]
    decade = lo
    while decade <= hi * 1.0001:
        for step in (1, 2, 5):
            tick = decade * step
            if lo <= tick <= hi * 1.0001:
                ty = y(tick)
                out.append(f'<line x1="{left}" x2="{width - right}" y1="{ty:.1f}" y2="{ty:.1f}" stroke="#ddd"/>')
                label = f"{tick:g} ms"
                out.append(f'<text x="{left - 6}" y="{ty + 4:.1f}" text-anchor="end" fill="#555">{label}</text>')
        decade *= 10
    for target, label in ((TARGET_P50_MS, f"p50 target {TARGET_P50_MS:g} ms"), (TARGET_P99_MS, f"p99 target {TARGET_P99_MS:g} ms")):
        ty = y(target)
        out.append(f'<line x1="{left}" x2="{width - right}" y1="{ty:.1f}" y2="{ty:.1f}" stroke="#333" stroke-dasharray="6 4"/>')
        out.append(f'<text x="{width - right + 6}" y="{ty + 4:.1f}" fill="#333">{label}</text>')

    group_w = plot_w / max(len(series), 1)
    bar_w = min(28, group_w / 4.5)
    for index, item in enumerate(series):
        center = left + group_w * (index + 0.5)
        for k, pct in enumerate((50, 90, 99)):
            value = item["latency"].get(pct)
            if value is None:
                continue
            x = center + (k - 1.5) * bar_w
            ty = y(value)
            out.append(f'<rect x="{x:.1f}" y="{ty:.1f}" width="{bar_w - 2:.1f}" height="{top + plot_h - ty:.1f}" fill="{colors[pct]}">'
                       f"<title>{item['label']} p{pct}: {value:.2f} ms</title></rect>")
            out.append(f'<text x="{x + (bar_w - 2) / 2:.1f}" y="{ty - 3:.1f}" text-anchor="middle" font-size="9" fill="#333">{value:.3g}</text>')
        for line, text in enumerate(item["label"].split("\n")):
            out.append(f'<text x="{center:.1f}" y="{top + plot_h + 18 + 14 * line}" text-anchor="middle">{escape(text)}</text>')
    out.append(f'<line x1="{left}" x2="{width - right}" y1="{top + plot_h}" y2="{top + plot_h}" stroke="#333"/>')
    legend_x = left
    for pct in (50, 90, 99):
        out.append(f'<rect x="{legend_x}" y="{height - 22}" width="12" height="12" fill="{colors[pct]}"/>')
        out.append(f'<text x="{legend_x + 16}" y="{height - 12}">p{pct}</text>')
        legend_x += 60
    out.append(f'<text x="{width - right}" y="{height - 12}" text-anchor="end" fill="#555">'
               "targets apply at 2,000/s; 64 connections: wrk, closed loop; 2,000/s: hey -c 20 -q 100</text>")
    out.append("</svg>")
    with open(path, "w") as handle:
        handle.write("\n".join(out) + "\n")


def escape(text):
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def last_phase(rss, name):
    """The last reading of a process: (VmHWM, VmRSS, RssAnon, RssFile, RssShmem) in MiB."""
    phases = rss.get(name, {})
    for phase in ("uncached", "tokens-rotated", "tokens-validated", "cached"):
        if phase in phases and len(phases[phase]) >= 5:
            return phases[phase]
    return (None,) * 5


def latency_median(run_list):
    return {pct: med([r["latency"].get(pct) for r in run_list]) for pct in (50, 90, 99)}


# ------------------------------------------------------------------------------------------ report
def main(raw, results_path, svg_path):
    machine = json.load(open(os.path.join(raw, "machine.json")))
    s1_plain = runs(raw, "s1-plain-*.txt", parse_wrk)
    s1_secured = runs(raw, "s1-secured-*.txt", parse_wrk)
    s2_secured = runs(raw, "s2-secured-*.txt", parse_hey)
    s2_plain = runs(raw, "s2-plain-*.txt", parse_hey)
    s3_one = load_json(raw, "s3-one-*.json")
    s3_split = load_json(raw, "s3-split-*.json")
    s4 = load_json(raw, "s4-*.json")
    s6_secured = runs(raw, "s6-secured-*.txt", parse_wrk)
    s6_rate = runs(raw, "s6-rate-*.txt", parse_hey)
    s6_calls = load_json(raw, "s6-calls-*.json")
    s7_plain = runs(raw, "s7-plain-*.txt", parse_wrk)
    s7_rotate = runs(raw, "s7-rotate-*.txt", parse_wrk)
    s7_mint = load_json(raw, "s7-mint.json")
    s7_warm = load_json(raw, "s7-warm.json")
    s7_redis = load_json(raw, "s7-redis.json")
    s8_direct = runs(raw, "s8-direct-*.txt", parse_wrk)
    s8_proxied = runs(raw, "s8-proxied-*.txt", parse_wrk)

    rss = {}
    for line in open(os.path.join(raw, "rss.txt")):
        phase, name, *kib = line.split()
        rss.setdefault(name, {})[phase] = tuple(int(v) / 1024 for v in kib)

    ratios = [s["rps"] / p["rps"] if s["rps"] and p["rps"] else None for p, s in zip(s1_plain, s1_secured)]
    ratio = med(ratios)
    s1_valid = all(r["non2xx"] == 0 and r["socket_errors"] == 0 for r in s1_plain + s1_secured)

    p50 = med([r["latency"].get(50) for r in s2_secured])
    p99 = med([r["latency"].get(99) for r in s2_secured])
    s2_rps = med([r["rps"] for r in s2_secured])
    s2_valid = all(r["non2xx"] == 0 and r["socket_errors"] == 0 for r in s2_secured)

    # A password-grant token is checked through UserInfo, any other by introspection: one Salesforce call either way.
    s3_counts = [r["introspect"] + r.get("userinfo", 0) for r in s3_one + s3_split]
    s3_ok = bool(s3_counts) and all(c == 1 for c in s3_counts) and all(
        set(r["statuses"]) == {"200"} for r in s3_one + s3_split)

    revoke_times = [t for r in s4 for t in r["refused_after_ms"]]
    revoke_worst = None if not revoke_times or None in revoke_times else max(revoke_times)
    revoke_ok = revoke_worst is not None and revoke_worst <= TARGET_REVOKE_MS and all(r["revoke_status"] == 200 for r in s4)

    services = ["auth", "rs1", "rs2"]
    peak = {name: max(v[0] for v in rss.get(name, {}).values()) if name in rss else None for name in rss}
    rss_ok = all(peak.get(n) is not None and peak[n] <= TARGET_RSS_MIB for n in services)

    plain_rotation_rps = med([r["rps"] for r in s7_plain])
    rotation_ratio = med([r["rps"] for r in s7_rotate]) / plain_rotation_rps if s7_rotate and plain_rotation_rps else None
    rotation_valid = bool(s7_rotate) and all(r["non2xx"] == 0 and r["socket_errors"] == 0 for r in s7_rotate)
    rotation_non2xx = sum(r["non2xx"] for r in s7_rotate)
    tokens_cached = s7_warm[0]["statuses"].get("200", 0) if s7_warm else None
    private_rs1 = rss.get("rs1", {}).get("tokens-rotated", (None,) * 5)[2]
    redis_delta = s7_redis[0] if s7_redis else None
    bytes_per_entry = None
    if redis_delta and redis_delta["token_keys_after"] > redis_delta["token_keys_before"]:
        bytes_per_entry = (redis_delta["used_memory_after"] - redis_delta["used_memory_before"]) / (redis_delta["token_keys_after"] - redis_delta["token_keys_before"])

    gateway_ratios = [g["rps"] / d["rps"] if g["rps"] and d["rps"] else None for d, g in zip(s8_direct, s8_proxied)]
    gateway_ratio = med(gateway_ratios)
    gateway_valid = bool(s8_proxied) and all(r["non2xx"] == 0 and r["socket_errors"] == 0 for r in s8_direct + s8_proxied)

    s6_rps = med([r["rps"] for r in s6_secured])
    secured_rps = med([r["rps"] for r in s1_secured])
    plain_rps = med([r["rps"] for r in s1_plain])

    lines = []
    add = lines.append
    add("# Benchmark results")
    add("")
    add(f"Written by `bench/run.sh` on {machine['date']} ({machine['runs']} run(s) of {machine['duration']} s per load "
        f"scenario{', a --quick smoke run: not a measurement to quote' if machine['quick'] else ''}). "
        f"Code: commit `{machine['commit']}`"
        + (f" plus {machine['dirty']} uncommitted change(s) in the services" if machine["dirty"] not in ("", "0") else "")
        + ("; the ResourceService's in-process cache (`LocalCache`) is in this build." if machine["local_cache_in_code"]
           else "; **the ResourceService's in-process cache (`LocalCache`) is not in this build yet**: every `/secured` goes to the AuthService."))
    add("")
    add("Everything runs on 127.0.0.1, outside Aspire, in Release: `redis-server` (no persistence), the "
        "SalesforceEmulator, one AuthService and two ResourceService instances. **The load generator (wrk or hey) "
        "shares the machine's 2 cores with every service**, so a request/s figure is the whole system's, load "
        "generator included, and numbers move by several percent from run to run. Scenarios run one after the "
        "other, never two load generators at once; each figure is the median of the runs. Before the first "
        f"scenario each ResourceService gets {machine.get('settle', 5)} s of load per route, so that the JIT has "
        "finished tiering up the hot code and the runs measure the steady state.")
    add("")
    busy_path = os.path.join(raw, "busy.txt")
    if os.path.exists(busy_path):
        busy = [line.split() for line in open(busy_path) if line.strip()]
        add("**Disturbed:** other processes kept using CPU before " + ", ".join(f"`{b[0]}` ({b[1]}% of a core)" for b in busy)
            + "; those runs share the cores with more than the load generator, and their numbers are lower than the machine gives.")
        add("")
    add("## Machine")
    add("")
    add("| | |")
    add("|---|---|")
    add(f"| CPU | {machine['cpu']} ({machine['cores']} cores) |")
    add(f"| memory | {machine['memory_mb']:,} MiB |")
    add(f"| OS | {machine['os']} (Linux {machine['kernel']}) |")
    add(f"| .NET | SDK {machine['dotnet_sdk']}, ASP.NET Core runtime {machine['aspnetcore']} |")
    add(f"| tools | {machine['wrk']}, hey {machine['hey']}, redis-server {machine['redis']} |")
    add("")
    add("## Targets")
    add("")
    add("| measure | median | target | |")
    add("|---|---|---|---|")
    add(f"| 1. `/secured` vs `/` requests/s at 64 connections | {fmt(secured_rps)} vs {fmt(plain_rps)}: ratio **{fmt(ratio, 2)}** "
        f"| ≥ {TARGET_RATIO} | {verdict(None if ratio is None else ratio >= TARGET_RATIO and s1_valid)}"
        + ("" if s1_valid else " (errors in the runs, see below)") + " |")
    add(f"| 2. `/secured` at a fixed {FIXED_RATE:,} requests/s (achieved {fmt(s2_rps)}/s) | p50 {ms(p50)}, p99 {ms(p99)} "
        f"| p50 ≤ {TARGET_P50_MS:g} ms, p99 ≤ {TARGET_P99_MS:g} ms "
        f"| {verdict(None if p50 is None else p50 <= TARGET_P50_MS and p99 <= TARGET_P99_MS and s2_valid)} |")
    add(f"| 3. 50 concurrent first requests, one new token | Salesforce validation calls (UserInfo for this password-grant token) per burst: {', '.join(map(str, s3_counts)) or 'n/a'} "
        f"| exactly 1 | {verdict(s3_ok if s3_counts else None)} |")
    add(f"| 4. revoked token refused on every instance | worst {ms(revoke_worst) if revoke_worst is not None else 'not refused within 5 s'} "
        f"after the revoke answered | ≤ 1 s | {verdict(revoke_ok if s4 else None)} |")
    add("| 5. memory: private (RssAnon) at the end / peak RSS (VmHWM) | " + ", ".join(
        f"{n} {fmt(last_phase(rss, n)[2], 0)} / {fmt(peak.get(n), 0)} MiB" for n in services if n in rss)
        + f" | reported; peak ≤ {TARGET_RSS_MIB:g} MiB each | {verdict(rss_ok)} |")
    add(f"| 5a. private memory of rs1 with {fmt(tokens_cached)} tokens cached (after scenario 7) | {fmt(private_rs1, 0)} MiB "
        f"| < {TARGET_PRIVATE_MIB:g} MiB | {verdict(None if private_rs1 is None else private_rs1 < TARGET_PRIVATE_MIB)} |")
    add(f"| 6. `/secured` with caching off, Salesforce 50 ms late | {fmt(s6_rps)} requests/s "
        f"({fmt(s6_rps / secured_rps * 100 if s6_rps and secured_rps else None, 1)}% of cached) | reported | |")
    add(f"| 7. `/secured` cycling through {fmt(tokens_cached)} known tokens vs `/` (same wrk script) | "
        f"{fmt(med([r['rps'] for r in s7_rotate]))} vs {fmt(med([r['rps'] for r in s7_plain]))}: ratio **{fmt(rotation_ratio, 2)}**, "
        f"{rotation_non2xx:,} answers other than 200 | ≥ {TARGET_ROTATION_RATIO}, only 200s "
        f"| {verdict(None if rotation_ratio is None else rotation_ratio >= TARGET_ROTATION_RATIO and rotation_valid)} |")
    memory_usage = redis_delta.get("memory_usage_per_key") if redis_delta else None
    add(f"| 7a. the AuthService's Redis bytes per cached validation | {fmt(memory_usage)} bytes by Redis's `MEMORY USAGE` of a key "
        f"(the issue's measure: 568 before); {fmt(bytes_per_entry)} bytes of `used_memory` growth per new `v1:tok:*` key, "
        f"the hash tables' share included | < 300 (`MEMORY USAGE`) "
        f"| {verdict(None if not memory_usage else memory_usage < 300)} |")
    add(f"| 8. gateway: `/api/hello` with a known token through the ResourceService vs straight to the upstream | "
        f"{fmt(med([r['rps'] for r in s8_proxied]))} vs {fmt(med([r['rps'] for r in s8_direct]))}: ratio **{fmt(gateway_ratio, 2)}** "
        f"| ≥ {TARGET_GATEWAY_RATIO} | {verdict(None if gateway_ratio is None else gateway_ratio >= TARGET_GATEWAY_RATIO and gateway_valid)}"
        + ("" if gateway_valid or not s8_proxied else " (errors in the runs, see below)") + " |")
    add("")

    add("## 1. `/secured` with a known token vs `/`, 64 connections")
    add("")
    add("`wrk -t2 -c64 -d<duration>s --latency` against one ResourceService, `/` and `/secured` back to back in each run "
        "(the order alternates). CPU is per process in % of one core (200% = both cores) over the run.")
    add("")
    add("| run | `/` req/s | `/secured` req/s | ratio | `/secured` p50 / p99 | responses | CPU during `/secured` |")
    add("|---|---|---|---|---|---|---|")
    for i, (p, s) in enumerate(zip(s1_plain, s1_secured), 1):
        add(f"| {i} | {fmt(p['rps'])} | {fmt(s['rps'])} | {fmt(ratios[i - 1], 2)} | {ms(s['latency'].get(50))} / {ms(s['latency'].get(99))} "
            f"| {validity(s)} | {cpu_cell(s['cpu'])} |")
    add(f"| **median** | **{fmt(plain_rps)}** | **{fmt(secured_rps)}** | **{fmt(ratio, 2)}** | "
        f"{ms(med([r['latency'].get(50) for r in s1_secured]))} / {ms(med([r['latency'].get(99) for r in s1_secured]))} | | |")
    add("")
    if s1_plain and s1_plain[0]["cpu"]:
        add(f"CPU during `/` (run 1): {cpu_cell(s1_plain[0]['cpu'])}.")
        add("")

    counters = {label: counters_summary(raw, name) for label, name in (("`/`", "counters-plain"), ("`/secured`", "counters-secured"))}
    if any(counters.values()):
        add("Where the time goes: a separate short wrk run of each route on rs1 with `dotnet-counters` attached "
            "(not one of the measured runs).")
        add("")
        add("| route | req/s | allocated per request | gen0 GCs/s | time in GC pauses | CPU per request |")
        add("|---|---|---|---|---|---|")
        for label, c in counters.items():
            if c:
                add(f"| {label} | {fmt(c['rps'])} | {fmt(c['alloc_per_request'] / 1024, 1, ' KiB')} | {fmt(c['gen0_per_s'], 0)} "
                    f"| {fmt(c['pause_share'] * 100, 1, '%')} | {fmt(c['cpu_us_per_request'], 0, ' µs')} |")
        add("")

    add(f"## 2. Fixed rate: {FIXED_RATE:,} requests/s")
    add("")
    add("`hey -z <duration>s -c 20 -q 100` (20 workers, 100 requests/s each). hey is closed-loop per worker, so a "
        "slow answer lowers the achieved rate instead of queueing; the achieved rate is shown.")
    add("")
    add("| run | route | achieved req/s | p50 | p90 | p99 | responses |")
    add("|---|---|---|---|---|---|---|")
    for i, (s, p) in enumerate(zip(s2_secured, s2_plain), 1):
        add(f"| {i} | `/secured` | {fmt(s['rps'])} | {ms(s['latency'].get(50))} | {ms(s['latency'].get(90))} | {ms(s['latency'].get(99))} | {validity(s)} |")
        add(f"| {i} | `/` | {fmt(p['rps'])} | {ms(p['latency'].get(50))} | {ms(p['latency'].get(90))} | {ms(p['latency'].get(99))} | {validity(p)} |")
    for label, group in (("`/secured`", s2_secured), ("`/`", s2_plain)):
        lat = latency_median(group)
        add(f"| **median** | {label} | {fmt(med([r['rps'] for r in group]))} | **{ms(lat[50])}** | {ms(lat[90])} | **{ms(lat[99])}** | |")
    add("")

    add("## 3. 50 concurrent first requests with one new token")
    add("")
    add("A fresh token from `/oauth2/login`; 50 connections opened first, then all 50 `GET /secured` released at once "
        "(a thread barrier). Calls counted in the emulator's request log (`/_emulator/requests`).")
    add("")
    add("| run | instances | answers | introspect calls | userinfo calls | burst took |")
    add("|---|---|---|---|---|---|")
    for i, (one, split) in enumerate(zip(s3_one, s3_split), 1):
        for label, r in (("one (50)", one), ("both (25 + 25)", split)):
            answers = ", ".join(f"{k}: {v}" for k, v in sorted(r["statuses"].items()))
            add(f"| {i} | {label} | {answers} | {r['introspect']} | {r['userinfo']} | {fmt(r['elapsed_ms'], 0, ' ms')} |")
    add("")

    add("## 4. Revocation reaching every instance")
    add("")
    add("A fresh token, validated 3 times on each instance; one thread per instance polls `/secured` on a keep-alive "
        "connection; then `POST /oauth2/revoke`. Time from the revoke's answer to each instance's first 401 "
        "(negative: refused before the answer reached the caller).")
    add("")
    add("| run | revoke answered | took | rs1 refused after | rs2 refused after | polls (rs1, rs2) |")
    add("|---|---|---|---|---|---|")
    for i, r in enumerate(s4, 1):
        after = [ms(t) if t is not None else "not within 5 s" for t in r["refused_after_ms"]]
        add(f"| {i} | {r['revoke_status']} | {ms(r['revoke_ms'])} | {after[0]} | {after[1] if len(after) > 1 else 'n/a'} | "
            f"{', '.join(map(str, r['polls']))} |")
    add("")

    add("## 5. Peak memory")
    add("")
    add("From `/proc/<pid>/status` at the end of each phase: private memory (`RssAnon`: the GC heap, native "
        "allocations, stacks: what the process itself costs) beside the peak resident set (`VmHWM`, which also counts "
        "mapped assemblies and shared pages). Phases: one token (scenarios 1–4), after validating the 10,000 tokens "
        "and after cycling through them (7), and uncached (6, after a restart of the three services).")
    add("")
    phases = (("cached", "one token"), ("tokens-validated", "10,000 validated"), ("tokens-rotated", "10,000 cycled"), ("uncached", "uncached"))
    add("| process | " + " | ".join(f"{label}: private / peak" for _, label in phases) + " | target |")
    add("|---|" + "---|" * len(phases) + "---|")
    for name in ["auth", "rs1", "rs2", "emulator", "redis"]:
        if name not in rss:
            continue
        cells = [f"{v[2]:.0f} / {v[0]:.0f} MiB" if (v := rss[name].get(phase)) and len(v) >= 5 else "n/a" for phase, _ in phases]
        target = f"peak ≤ {TARGET_RSS_MIB:g} MiB: {verdict(peak[name] <= TARGET_RSS_MIB)}" if name in services else "(not a product service)"
        if name == "rs1":
            target += f"; private < {TARGET_PRIVATE_MIB:g} MiB with 10,000 cached: {verdict(None if private_rs1 is None else private_rs1 < TARGET_PRIVATE_MIB)}"
        add(f"| {name} | " + " | ".join(cells) + f" | {target} |")
    add("")
    add("RSS counts file-backed pages (the mapped framework and application assemblies, shared with every other "
        "process that maps them and reclaimable by the kernel) and shared memory (.NET's W^X double mapping of "
        "jitted code) besides the process's own anonymous memory (GC heap, native allocations, stacks).")
    add("")

    add("## 7. Many users: 10,000 distinct tokens in rotation")
    add("")
    if s7_mint and s7_warm:
        add(f"{s7_mint[0]['minted']:,} tokens minted with the client-credentials grant straight at the emulator (introspected, as web-server-flow tokens are) in {s7_mint[0]['seconds']} s, then "
            f"`GET /secured` once with each on rs1 (8 connections, {s7_warm[0]['seconds']} s; answers: "
            + ", ".join(f"{k}: {v:,}" for k, v in sorted(s7_warm[0]["statuses"].items())) + "), so each was validated "
            "through the AuthService once. Then `wrk -t2 -c64 --latency -s bench/lib/rotate.lua`, one token of the file "
            "per request, cycling; the baseline is `/` through the same script without tokens (the same Lua cost per "
            "request). One `/secured` run, started right after the validations; then the `/` runs (their median is the "
            "baseline). The validations take about a minute at the pace the AuthService's Salesforce budget allows, so "
            "when the run starts the tokens validated first have passed the in-process cache's 60 s TTL and are asked of "
            "the AuthService again (its Redis still holds them: no Salesforce call), and the others are refreshed ahead "
            "of their end while the load runs: the run pays for both, as a service that many users come back to does.")
        add("")
    add("| run | req/s | p50 / p99 | responses | CPU |")
    add("|---|---|---|---|---|")
    for i, r in enumerate(s7_rotate, 1):
        add(f"| `/secured`, {fmt(r['requests'])} requests | {fmt(r['rps'])} | {ms(r['latency'].get(50))} / {ms(r['latency'].get(99))} "
            f"| {validity(r)} | {cpu_cell(r['cpu'])} |")
    for i, p in enumerate(s7_plain, 1):
        add(f"| `/` run {i} | {fmt(p['rps'])} | {ms(p['latency'].get(50))} / {ms(p['latency'].get(99))} | {validity(p)} | {cpu_cell(p['cpu'])} |")
    if s7_rotate:
        add(f"| **ratio** | **{fmt(rotation_ratio, 2)}** (`/secured` over the median of `/`) | | | |")
    add("")
    if redis_delta:
        add(f"Redis during the validations: `used_memory` {redis_delta['used_memory_before']:,} → {redis_delta['used_memory_after']:,} bytes, "
            f"`v1:tok:*` keys {redis_delta['token_keys_before']:,} → {redis_delta['token_keys_after']:,}: "
            f"{fmt(bytes_per_entry)} bytes per cached validation.")
        add("")

    add("## 8. Gateway mode: a proxied request against the same request sent straight to the API")
    add("")
    add("A third ResourceService (`gw`) with YARP's `ReverseProxy` section as environment variables (route `/api/{**catch-all}`, "
        "no policy named: any valid token) in front of `SampleUpstream`, which echoes what it received as JSON. "
        "`wrk -t2 -c64` sends `GET /api/hello` with the known token through the gateway and straight to the upstream, "
        "back to back in each run (the order alternates). The gateway checks the token (an in-process cache hit), "
        "drops the caller's `Authorization` and `X-Salesforce-*` headers, adds the identity headers and "
        "`X-Forwarded-*`, and forwards over a pooled connection; every request through it crosses two HTTP hops "
        "on the same 2 cores.")
    add("")
    add("| run | straight to the upstream req/s | through the gateway req/s | ratio | gateway p50 / p99 | responses | CPU through the gateway |")
    add("|---|---|---|---|---|---|---|")
    for i, (d, g) in enumerate(zip(s8_direct, s8_proxied), 1):
        add(f"| {i} | {fmt(d['rps'])} | {fmt(g['rps'])} | {fmt(gateway_ratios[i - 1], 2)} | {ms(g['latency'].get(50))} / {ms(g['latency'].get(99))} "
            f"| {validity(g)} | {cpu_cell(g['cpu'], ('gw', 'upstream', 'auth'))} |")
    if s8_proxied:
        add(f"| **median** | **{fmt(med([r['rps'] for r in s8_direct]))}** | **{fmt(med([r['rps'] for r in s8_proxied]))}** | **{fmt(gateway_ratio, 2)}** | "
            f"{ms(med([r['latency'].get(50) for r in s8_proxied]))} / {ms(med([r['latency'].get(99) for r in s8_proxied]))} | | |")
    add("")
    if s8_direct and s8_direct[0]["cpu"]:
        add(f"CPU straight to the upstream (run 1): {cpu_cell(s8_direct[0]['cpu'], ('upstream', 'gw', 'auth'))}.")
        add("")

    def cpu_per_request(run_list, name):
        """CPU microseconds one request costs a process: its share of a core over the run, divided by the requests/s."""
        return med([r["cpu"].get(name, 0) / 100 / r["rps"] * 1e6 if r["rps"] and r["cpu"] else None for r in run_list])

    if s8_direct and s8_proxied and s8_direct[0]["cpu"]:
        gw_us, via_us, direct_us = cpu_per_request(s8_proxied, "gw"), cpu_per_request(s8_proxied, "upstream"), cpu_per_request(s8_direct, "upstream")
        add(f"CPU per request (medians): the gateway {fmt(gw_us, 0)} µs, the upstream behind it {fmt(via_us, 0)} µs, the upstream "
            f"called straight {fmt(direct_us, 0)} µs. Every process shares the same 2 cores with the load generator, so the "
            "ratio measures the CPU of the extra hop (YARP's second HTTP exchange, on both of its sides) more than any waiting. "
            "Deployed, the gateway and the API run on separate dynos, and the gateway alone bounds the rate (about "
            f"{fmt(1e6 / gw_us if gw_us else None)} requests/s per core at this cost).")
        add("")

    add("## 6. Caching off: the Node.js demo's design")
    add("")
    add("The AuthService and both ResourceServices restarted with `LocalCache__Enabled=false` and "
        "`TokenCache__MaxTtl=00:00:00`; the emulator delays every `/services/oauth2/*` answer by 50 ms "
        "(`/_emulator/faults`), so each validation costs an introspection and a userinfo round trip. A token never "
        "validated before. The AuthService still shares one Salesforce call among concurrent requests for the same "
        "token (single-flight), so the emulator sees fewer calls than requests.")
    add("")
    add("| run | 64 connections: req/s | p50 | p99 | responses | introspect calls | 2,000/s offered: achieved | p50 | p99 |")
    add("|---|---|---|---|---|---|---|---|---|")
    for i, (w, h) in enumerate(zip(s6_secured, s6_rate), 1):
        calls = s6_calls[i - 1] if i - 1 < len(s6_calls) else {}
        per = f"{calls.get('introspect', 0):,} ({calls.get('introspect', 0) / w['requests']:.3f} per request)" if w.get("requests") else "n/a"
        add(f"| {i} | {fmt(w['rps'])} | {ms(w['latency'].get(50))} | {ms(w['latency'].get(99))} | {validity(w)} | {per} "
            f"| {fmt(h['rps'])} | {ms(h['latency'].get(50))} | {ms(h['latency'].get(99))} |")
    lat6 = latency_median(s6_secured)
    lat6r = latency_median(s6_rate)
    add(f"| **median** | **{fmt(s6_rps)}** | {ms(lat6[50])} | {ms(lat6[99])} | | | {fmt(med([r['rps'] for r in s6_rate]))} | {ms(lat6r[50])} | {ms(lat6r[99])} |")
    add("")
    if s6_rps and secured_rps:
        add(f"With caching on, `/secured` served {secured_rps / s6_rps:,.1f}× the requests/s of the uncached design at 64 "
            f"connections, and its p50 at 2,000/s was {ms(p50)} against {ms(lat6r[50])}.")
        add("")

    add("## Latency chart")
    add("")
    add("![ResourceService latency by scenario](latency.svg)")
    add("")

    add("## How it was run")
    add("")
    add("`bench/run.sh` (see `bench/run.sh --help`). Raw output of every tool is under `bench/work/raw/` "
        "(git-ignored); the services' logs under `bench/work/logs/`. Settings of the services: the contract's "
        "(`LOGIN_URL`, `CLIENT_ID`, `CLIENT_SECRET_ID`, `REDIRECT_URI`, `Salesforce__PasswordFlow=Enabled`, "
        "`INTERNAL_API_KEY`, `AUTH_SERVICE_URL`, `ConnectionStrings__cache`, `PORT`), everything else at its default "
        "(Production environment, the introspection rate limit included). Tests never assert time, and this benchmark "
        "is not part of `.ci/run`.")
    add("")
    # bench/jwt.sh writes its own section between these markers: keep it.
    kept = ""
    if os.path.exists(results_path):
        if m := re.search(r"<!-- jwt:begin -->.*<!-- jwt:end -->\n?", open(results_path).read(), re.S):
            kept = "\n" + m.group(0)
    with open(results_path, "w") as handle:
        handle.write("\n".join(lines) + kept)

    lat1p = latency_median(s1_plain)
    lat1s = latency_median(s1_secured)
    svg_chart([
        {"label": "/ \n64 connections", "latency": lat1p},
        {"label": "/secured (cached)\n64 connections", "latency": lat1s},
        {"label": "/\n2,000/s", "latency": latency_median(s2_plain)},
        {"label": "/secured (cached)\n2,000/s", "latency": latency_median(s2_secured)},
        {"label": "/secured (uncached)\n64 connections", "latency": lat6},
        {"label": "/secured (uncached)\n2,000/s offered", "latency": lat6r},
    ], svg_path)


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    main(*sys.argv[1:])
