#!/usr/bin/env python3
"""Start-up and memory of Tillid (A) against a bare Tauri 2 window (B).

Run by scripts/bench-startup.sh, which builds both and seeds the data folder;
standard library only. Each run starts its own tauri-driver (which starts
WebKitWebDriver) under one Xvfb, and then, over plain W3C WebDriver HTTP:

  start       POST /session (the app is started) until the first
              [data-testid="signin-person"] is found, polled every POLL_MS:
              "start to an interactive sign-in list", wall time.
  PSS         3 s later, the proportional set size of the app and every
              process under it (WebKitWebProcess, WebKitNetworkProcess, ...),
              from /proc/PID/smaps_rollup.
  in-page     the page's own clock (performance.timeOrigin, the navigation
              entry) splits the start into: until the page starts loading
              (process, Rust, window, WebKit), page to DOMContentLoaded
              (HTML, CSS, the module graph), and DOMContentLoaded to the list.
  drawn       the same start without WebDriver's polling: until Tillid's
              page marks its list drawn ('tillid:signin'), or the bare
              page (whose list is in its HTML) reaches DOMContentLoaded.
              WebDriver's "not there yet" answers come slowly while a page
              is busy, which delays the next poll for a list drawn by script.

The session is then deleted, tauri-driver stopped, and every process it left
stopped by pid (checked against its start time), before the next run.
Runs alternate A B A B ...; a warm-up pair is run first and not counted.
"""

import argparse
import ctypes
import json
import os
import re
import shutil
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

SELECTOR = '[data-testid="signin-person"]'
POLL_MS = 10
FIND_TIMEOUT = 60.0
PSS_AFTER = 3.0

# What the page says about its own loading, read once the list is found.
PAGE_TIMES = r"""
const nav = performance.getEntriesByType('navigation')[0];
const res = performance.getEntriesByType('resource');
return {
  origin: performance.timeOrigin,
  now: performance.now(),
  dcl: nav ? nav.domContentLoadedEventEnd : null,
  load: nav ? nav.loadEventEnd : null,
  resources: res.length,
  scripts: document.querySelectorAll('script').length,
  marks: performance.getEntriesByType('mark')
    .filter((m) => m.name.startsWith('tillid:'))
    .map((m) => [m.name, m.startTime]),
};
"""


def log(msg):
    print(f"bench-startup: {msg}", file=sys.stderr, flush=True)


# -- processes ---------------------------------------------------------------

def stat(pid):
    """(ppid, start ticks, zombie) from /proc/PID/stat, or None."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            text = f.read()
    except OSError:
        return None
    rest = text[text.rfind(")") + 1:].split()
    return int(rest[1]), int(rest[19]), rest[0] in ("Z", "X")


def alive(proc):
    pid, start = proc
    s = stat(pid)
    return s is not None and s[1] == start and not s[2]


def descendants(root):
    """Every live process under `root`, as (pid, start ticks)."""
    children = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        s = stat(int(name))
        if s and not s[2]:
            children.setdefault(s[0], []).append((int(name), s[1]))
    out, todo = [], [root]
    while todo:
        for child in children.get(todo.pop(), []):
            out.append(child)
            todo.append(child[0])
    return out


def exe(pid):
    try:
        return os.path.realpath(f"/proc/{pid}/exe")
    except OSError:
        return ""


def comm(pid):
    try:
        with open(f"/proc/{pid}/comm") as f:
            return f.read().strip()
    except OSError:
        return "?"


def pss_kib(pid):
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def end_with_parent():
    """Have the kernel SIGTERM the child when this script dies."""
    libc = ctypes.CDLL(None, use_errno=True)
    pr_set_pdeathsig = 1
    libc.prctl(pr_set_pdeathsig, signal.SIGTERM)


def send(proc, sig):
    if alive(proc):
        try:
            os.kill(proc[0], sig)
        except ProcessLookupError:
            pass


def wait_gone(procs, seconds):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not any(alive(p) for p in procs):
            return True
        time.sleep(0.05)
    return not any(alive(p) for p in procs)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def listening(port):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.2):
            return True
    except OSError:
        return False


def start_xvfb(logf):
    for n in range(90, 190):
        if os.path.exists(f"/tmp/.X{n}-lock") or os.path.exists(f"/tmp/.X11-unix/X{n}"):
            continue
        child = subprocess.Popen(
            ["Xvfb", f":{n}", "-screen", "0", "1280x1024x24", "-nolisten", "tcp", "-noreset"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=logf,
            preexec_fn=end_with_parent)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and child.poll() is None:
            if os.path.exists(f"/tmp/.X11-unix/X{n}"):
                return child, f":{n}"
            time.sleep(0.05)
        child.terminate()
        child.wait()
    sys.exit("bench-startup: no free X display for Xvfb in :90..:189")


# -- WebDriver over HTTP -----------------------------------------------------

def http(method, url, body=None, timeout=60):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(url, data=data, method=method,
                                 headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            return resp.status, json.loads(resp.read() or b"null")
    except urllib.error.HTTPError as e:
        try:
            return e.code, json.loads(e.read() or b"null")
        except ValueError:
            return e.code, None


# -- one run -----------------------------------------------------------------

def run_once(label, binary, args, display, logf, env):
    """Start `binary` through a fresh tauri-driver; return the run's figures."""
    port, native = free_port(), free_port()
    while native == port:
        native = free_port()
    driver = subprocess.Popen(
        [env["TAURI_DRIVER"], "--port", str(port), "--native-port", str(native)],
        stdin=subprocess.DEVNULL, stdout=logf, stderr=logf,
        env=dict(env, DISPLAY=display), preexec_fn=end_with_parent)
    driver_id = (driver.pid, stat(driver.pid)[1])
    seen = set()
    try:
        deadline = time.monotonic() + 20
        for p in (port, native):
            while not listening(p):
                if driver.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"tauri-driver did not listen on {p}")
                time.sleep(0.02)
        base = f"http://127.0.0.1:{port}"
        options = {"application": binary, "args": args}
        caps = {"capabilities": {"alwaysMatch": {"tauri:options": options}},
                "desiredCapabilities": {"tauri:options": options}}

        wall0 = time.time()
        t0 = time.perf_counter()
        status, reply = http("POST", f"{base}/session", caps)
        t_session = time.perf_counter() - t0
        if status != 200:
            raise RuntimeError(f"no session ({status}): {reply}")
        sid = reply["value"]["sessionId"]
        found = None
        while time.perf_counter() - t0 < FIND_TIMEOUT:
            status, reply = http("POST", f"{base}/session/{sid}/element",
                                 {"using": "css selector", "value": SELECTOR})
            if status == 200 and isinstance(reply.get("value"), dict):
                found = time.perf_counter() - t0
                break
            time.sleep(POLL_MS / 1000)
        if found is None:
            raise RuntimeError(f"{label}: no {SELECTOR} after {FIND_TIMEOUT} s")
        t_found_mono = time.perf_counter()

        _, page = http("POST", f"{base}/session/{sid}/execute/sync",
                       {"script": PAGE_TIMES, "args": []})
        page = page.get("value") if isinstance(page, dict) else None

        real = os.path.realpath(binary)
        tree = descendants(driver.pid)
        seen.update(tree)
        apps = [p for p in tree if exe(p[0]) == real]
        if len(apps) != 1:
            raise RuntimeError(f"{label}: expected one app process, found {apps}")
        app = apps[0]

        time.sleep(max(0.0, PSS_AFTER - (time.perf_counter() - t_found_mono)))
        under = [app] + descendants(app[0])
        seen.update(under)
        parts = {}
        for p in under:
            name = "app" if p == app else comm(p[0])
            parts[name] = parts.get(name, 0) + pss_kib(p[0])
        pss = sum(parts.values())

        http("DELETE", f"{base}/session/{sid}", timeout=20)
        wait_gone([app], 10)
    finally:
        seen.update(descendants(driver.pid))
        send(driver_id, signal.SIGTERM)
        try:
            driver.wait(timeout=5)
        except subprocess.TimeoutExpired:
            driver.kill()
            driver.wait()
        left = [p for p in seen if alive(p)]
        for p in left:
            send(p, signal.SIGTERM)
        if not wait_gone(left, 5):
            for p in left:
                send(p, signal.SIGKILL)
            if not wait_gone(left, 5):
                raise RuntimeError(f"processes still running after the run: {left}")

    split = {}
    if page and page.get("origin"):
        # From POST /session to the page's own time origin (navigation
        # start), and the page's own milestones after it.
        to_origin = page["origin"] / 1000 - wall0
        split = {
            "to_page": to_origin,
            "to_dcl": to_origin + page["dcl"] / 1000 if page.get("dcl") else None,
            "resources": page.get("resources"),
            "marks": page.get("marks") or [],
        }
        # The same moment seen from inside the page, without WebDriver's
        # polling: Tillid says when its list is drawn (performance.mark
        # 'tillid:signin'); the bare page's list is in its HTML, so it is
        # there at DOMContentLoaded.
        drawn = dict(split["marks"]).get("tillid:signin")
        if drawn is not None:
            split["drawn"] = to_origin + drawn / 1000
        elif split["to_dcl"] is not None:
            split["drawn"] = split["to_dcl"]
    return {"label": label, "start": found, "session": t_session,
            "pss_kib": pss, "parts": parts, **split}


# -- reporting ---------------------------------------------------------------

def median(xs):
    xs = [x for x in xs if x is not None]
    return statistics.median(xs) if xs else None


def spread(xs):
    """Median absolute deviation as a fraction of the median."""
    m = median(xs)
    if not m:
        return None
    return statistics.median(abs(x - m) for x in xs) / m


def mib(kib):
    return kib / 1024


def sizes(path):
    size = os.path.getsize(path)
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "stripped")
        subprocess.run(["strip", "-o", out, path], check=True)
        return size, os.path.getsize(out)


def module_graph(ui_dir, entry):
    """Static import graph of the first screen: every ES module app.js
    pulls in before it can run, with their total size."""
    pattern = re.compile(r"""^\s*(?:import|export)\b[^'"]*?\bfrom\s*['"]([^'"]+)['"]"""
                         r"""|^\s*import\s*['"]([^'"]+)['"]""", re.M)
    seen, todo = set(), [os.path.normpath(os.path.join(ui_dir, entry))]
    while todo:
        path = todo.pop()
        if path in seen:
            continue
        seen.add(path)
        with open(path, encoding="utf-8") as f:
            text = f.read()
        for m in pattern.finditer(text):
            spec = m.group(1) or m.group(2)
            if spec.startswith("."):
                todo.append(os.path.normpath(os.path.join(os.path.dirname(path), spec)))
    total = sum(os.path.getsize(p) for p in seen)
    return len(seen), total


def quick_check_seconds(db):
    """PRAGMA quick_check(1) on a copy of the seeded file, as Tillid runs it
    while its window is made (warm page cache; best of 3)."""
    with tempfile.TemporaryDirectory() as tmp:
        copy = os.path.join(tmp, "copy.db")
        shutil.copy(db, copy)
        conn = sqlite3.connect(copy)
        best = None
        for _ in range(3):
            t0 = time.perf_counter()
            conn.execute("PRAGMA quick_check(1)").fetchone()
            took = time.perf_counter() - t0
            best = took if best is None else min(best, took)
        conn.close()
        return best, os.path.getsize(db)


def fmt(x, unit="s", digits=3):
    if x is None:
        return "-"
    if unit == "ms":
        return f"{x * 1000:.0f} ms"
    return f"{x:.{digits}f} {unit}".strip()


def report(args, runs, started):
    a = [r for r in runs if r["label"] == "A"]
    b = [r for r in runs if r["label"] == "B"]
    lines = []
    add = lines.append
    add(f"Start-up and memory: Tillid (A) vs a bare Tauri 2 window (B), "
        f"{len(a)} pairs A B A B ... (+{args.warmup} warm-up), {started}")
    add(f"A: {args.tillid} --data-dir <seeded: {args.seed}>")
    add(f"B: {args.bare}")
    add("")
    rows = [
        ("start to interactive sign-in list", "start", "s"),
        ("  the list drawn, by the page's clock", "drawn", "s"),
        ("  POST /session returned", "session", "s"),
        ("  page started loading (timeOrigin)", "to_page", "s"),
        ("  page: DOMContentLoaded", "to_dcl", "s"),
    ]
    add(f"{'':38} {'A median':>10} {'B median':>10} {'A/B':>6}  {'spread A/B':>11}")
    for title, key, unit in rows:
        ma, mb = median(r.get(key) for r in a), median(r.get(key) for r in b)
        ratio = f"{ma / mb:.2f}" if ma and mb else "-"
        sa, sb = spread([r.get(key) for r in a]), spread([r.get(key) for r in b])
        sp = f"{sa:.0%}/{sb:.0%}" if sa is not None and sb is not None else "-"
        add(f"{title:38} {fmt(ma, 'ms'):>10} {fmt(mb, 'ms'):>10} {ratio:>6}  {sp:>11}")
    pa, pb = median(r["pss_kib"] for r in a), median(r["pss_kib"] for r in b)
    sa, sb = spread([r["pss_kib"] for r in a]), spread([r["pss_kib"] for r in b])
    add(f"{'PSS 3 s after (app + WebKit processes)':38} {mib(pa):>7.1f} MB {mib(pb):>7.1f} MB "
        f"{pa / pb:>6.2f}  {sa:.0%}/{sb:.0%}")
    for name in sorted({n for r in runs for n in r["parts"]}):
        ma = median(r["parts"].get(name, 0) for r in a)
        mb = median(r["parts"].get(name, 0) for r in b)
        ratio = f"{ma / mb:.2f}" if mb else "-"
        add(f"{'  ' + name:38} {mib(ma):>7.1f} MB {mib(mb):>7.1f} MB {ratio:>6}")
    pair = [x["start"] / y["start"] for x, y in zip(a, b)]
    add("")
    add(f"start A/B pair by pair: median {median(pair):.2f}, "
        f"range {min(pair):.2f}-{max(pair):.2f}; "
        f"A runs {fmt(min(r['start'] for r in a), 'ms')}-{fmt(max(r['start'] for r in a), 'ms')}, "
        f"B runs {fmt(min(r['start'] for r in b), 'ms')}-{fmt(max(r['start'] for r in b), 'ms')}")
    res_a = median(r.get("resources") for r in a)
    res_b = median(r.get("resources") for r in b)
    add(f"resources the page reports loading (performance API): A {res_a}, B {res_b}")
    add("")
    (sa, sa_s), (sb, sb_s) = sizes(args.tillid), sizes(args.bare)
    add(f"{'binary':38} {'A':>10} {'B':>10} {'A/B':>6}")
    add(f"{'  as built':38} {sa / 1e6:>7.1f} MB {sb / 1e6:>7.1f} MB {sa / sb:>6.2f}")
    add(f"{'  stripped (strip -o)':38} {sa_s / 1e6:>7.1f} MB {sb_s / 1e6:>7.1f} MB {sa_s / sb_s:>6.2f}")
    add("")
    n, total = module_graph(args.ui, "js/app.js")
    add(f"first screen's static module graph (ui/js/app.js and its imports): "
        f"{n} ES modules, {total / 1024:.0f} KiB")
    qc, db_size = quick_check_seconds(args.db)
    add(f"PRAGMA quick_check(1) on the seeded file ({db_size / 1e6:.1f} MB, warm cache): "
        f"{qc * 1000:.1f} ms")
    if args.trace:
        add("")
        add("A's own start-up marks (TILLID_STARTUP_TRACE=1), median ms after main():")
        for what, ms in args.trace:
            add(f"  {ms:>8.1f}  {what}")
    page_marks = {}
    for r in a:
        for name, ms in r.get("marks", []):
            page_marks.setdefault(name, []).append(ms)
    if page_marks:
        add("")
        add("A's page marks (performance.mark in ui/js), median ms after the page's "
            "time origin (bare window: DOMContentLoaded "
            f"{median([r['to_dcl'] - r['to_page'] for r in b if r.get('to_dcl')]) * 1000:.0f} ms):")
        for name, values in sorted(page_marks.items(), key=lambda kv: statistics.median(kv[1])):
            add(f"  {statistics.median(values):>8.1f}  {name}")
    return "\n".join(lines) + "\n"


def parse_trace(text, warmup):
    """Medians over the counted A runs of `tillid: startup  NN.N ms what`
    lines, the first of each milestone in a run (a mark such as app_status
    may come again later)."""
    marks, order = {}, []
    for section in re.split(r"^=== ", text, flags=re.M)[1:]:
        head = section.split("\n", 1)[0].split()  # pair N A|B
        if len(head) < 3 or head[2] != "A" or int(head[1]) <= warmup:
            continue
        seen = set()
        for m in re.finditer(r"tillid: startup\s+([\d.]+) ms (.+)", section):
            what = m.group(2).strip()
            if what in seen:
                continue
            seen.add(what)
            if what not in marks:
                order.append(what)
            marks.setdefault(what, []).append(float(m.group(1)))
    return [(w, statistics.median(marks[w])) for w in order]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tillid", required=True)
    ap.add_argument("--data-dir", required=True)
    ap.add_argument("--db", required=True)
    ap.add_argument("--seed", default="")
    ap.add_argument("--bare", required=True)
    ap.add_argument("--ui", required=True)
    ap.add_argument("--pairs", type=int, default=9)
    ap.add_argument("--warmup", type=int, default=1)
    ap.add_argument("--out", required=True)
    ap.add_argument("--log", required=True)
    ap.add_argument("--tauri-driver", required=True)
    args = ap.parse_args()

    env = dict(os.environ, TAURI_DRIVER=args.tauri_driver, TILLID_STARTUP_TRACE="1")
    started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    with open(args.log, "w") as logf:
        xvfb = None
        display = os.environ.get("DISPLAY") or ""
        if not display:
            xvfb, display = start_xvfb(logf)
        try:
            runs = []
            total = args.warmup + args.pairs
            for i in range(total):
                for label, binary, app_args in (
                        ("A", args.tillid, ["--data-dir", args.data_dir]),
                        ("B", args.bare, [])):
                    logf.write(f"\n=== pair {i + 1} {label}\n")
                    logf.flush()
                    for attempt in range(3):
                        try:
                            r = run_once(label, binary, app_args, display, logf, env)
                            break
                        except (OSError, RuntimeError, ValueError, KeyError) as e:
                            # A dropped driver connection now and then; the
                            # run is started again from scratch.
                            log(f"pair {i + 1} {label}: run failed ({e!r}), again")
                            logf.write(f"\n=== pair {i + 1} {label} (again)\n")
                            logf.flush()
                            if attempt == 2:
                                raise
                    counted = i >= args.warmup
                    log(f"pair {i + 1}/{total} {label}: start {r['start'] * 1000:.0f} ms, "
                        f"PSS {mib(r['pss_kib']):.1f} MB" + ("" if counted else " (warm-up)"))
                    if counted:
                        runs.append(r)
        finally:
            if xvfb:
                xvfb.terminate()
                xvfb.wait()
    with open(args.log) as f:
        text = f.read()
    args.trace = parse_trace(text, args.warmup)
    out = report(args, runs, started)
    with open(args.out, "w") as f:
        f.write(out)
        f.write("\nper run (s, MB):\n")
        for r in runs:
            f.write(f"  {r['label']} start {r['start']:.3f} session {r['session']:.3f} "
                    f"page {r.get('to_page') or 0:.3f} dcl {r.get('to_dcl') or 0:.3f} "
                    f"pss {mib(r['pss_kib']):.1f}")
            # The page's own marks, in the order they came (ms after its time origin).
            marks = sorted(r.get("marks") or [], key=lambda m: m[1])
            f.write("".join(f" {name.removeprefix('tillid:')} {ms:.0f}" for name, ms in marks) + "\n")
    print(out, end="")


if __name__ == "__main__":
    main()
