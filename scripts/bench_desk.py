#!/usr/bin/env python3
"""The body of scripts/bench_desk (see there). python3 stdlib; wrk when installed."""
import http.client
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(REPO, "Tests", "e2e"))
from desk_support import Desk, cleanup, desk_rows, form, make_id, scratch_county  # noqa: E402

SECS = float(os.environ.get("BENCH_SECS", "15"))


def check_with_wrk(port, body):
    lua = tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False, encoding="utf-8")
    lua.write('wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\nwrk.body = [[' + body + ']]\n')
    lua.close()
    try:
        out = subprocess.run(["wrk", "-t2", "-c50", f"-d{int(SECS)}s", "--latency", "-s", lua.name,
                              f"http://127.0.0.1:{port}/api/check"], capture_output=True, text=True, check=True).stdout
    finally:
        os.unlink(lua.name)
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    def ms(label):
        m = re.search(rf"\s{label}\s+([\d.]+)(us|ms|s)\b", out)
        v = float(m.group(1))
        return v / 1000 if m.group(2) == "us" else v * 1000 if m.group(2) == "s" else v
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {"tool": "wrk -t2 -c50", "rps": rps, "p50": ms("50%"), "p99": ms("99%"),
            "errors": int(non2xx.group(1)) if non2xx else 0, "raw": out}


def check_with_python(port, body):
    lat, lock, errors = [], threading.Lock(), [0]
    end = time.monotonic() + SECS
    data = body.encode("utf-8")

    def client():
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        mine = []
        while time.monotonic() < end:
            t = time.perf_counter()
            c.request("POST", "/api/check", body=data, headers={"Content-Type": "application/json"})
            r = c.getresponse(); r.read()
            mine.append(time.perf_counter() - t)
            if r.status != 200:
                errors[0] += 1
        with lock:
            lat.extend(mine)
    ts = [threading.Thread(target=client) for _ in range(50)]
    t0 = time.monotonic()
    for t in ts: t.start()
    for t in ts: t.join()
    lat.sort()
    return {"tool": "python (50 threads; the client itself is the bottleneck)", "rps": len(lat) / (time.monotonic() - t0),
            "p50": lat[len(lat) // 2] * 1000, "p99": lat[int(len(lat) * 0.99)] * 1000, "errors": errors[0], "raw": ""}


def mixed(desk):
    acked, lock = [], threading.Lock()
    end = time.monotonic() + SECS
    counter = iter(range(10**6))

    def client(k):
        mine = []
        while time.monotonic() < end:
            with lock:
                n = next(counter)
            pid = make_id(n % 1000, birth=f"19{80 + n // 1000 % 20:02d}0{1 + n // 20000 % 9}01")
            s, j = desk.request("POST", "/api/registrations", form(pid))
            if s == 201:
                mine.append((pid, j["record"]["更新时间"]))
                s, j = desk.request("POST", f"/api/people/{pid}/followups", {"就业去向": "4"})
                if s == 201:
                    mine.append((pid, j["record"]["更新时间"]))
            if n % 97 == 0:
                desk.request("POST", "/api/batches")
        with lock:
            acked.extend(mine)
    t0 = time.monotonic()
    ts = [threading.Thread(target=client, args=(k,)) for k in range(20)]
    for t in ts: t.start()
    for t in ts: t.join()
    took = time.monotonic() - t0
    desk.request("POST", "/api/batches")
    return acked, took


def main():
    root = scratch_county()
    try:
        d = Desk(root)
        body = json.dumps(form(make_id(123)), ensure_ascii=False)
        s, j = d.request("POST", "/api/check", raw=body.encode())
        assert s == 200 and not j["findings"], j
        res = check_with_wrk(d.port, body) if shutil.which("wrk") else check_with_python(d.port, body)
        print(f"/api/check, {res['tool']}, {SECS:.0f} s: {res['rps']:,.0f} requests/s, p50 {res['p50']:.2f} ms, "
              f"p99 {res['p99']:.2f} ms, non-2xx {res['errors']}")
        print(f"  target ≥ 2,000 requests/s with p99 < 50 ms: {'met' if res['rps'] >= 2000 and res['p99'] < 50 else 'NOT met'}")
        acked, took = mixed(d)
        d.stop()
        rows = desk_rows(root)
        keys = [(r["公民身份号码"], r["更新时间"]) for _, r in rows]
        lost = set(acked) - set(keys)
        twice = len(keys) - len(set(keys))
        print(f"mixed registration/follow-up load, 20 clients, {took:.1f} s: {len(acked)} acknowledged writes "
              f"({len(acked) / took:,.0f}/s), {len({n for n, _ in rows})} batch files, {len(rows)} rows; "
              f"lost {len(lost)}, written twice {twice}")
        load = os.getloadavg()
        print(f"machine: {os.cpu_count()} cores, load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f} during the run")
        return 1 if lost or twice else 0
    finally:
        cleanup(root)


if __name__ == "__main__":
    sys.exit(main())
