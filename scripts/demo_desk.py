#!/usr/bin/env python3
"""The demo's desk step (scripts/demo): a county office at its desk for one month.

    demo_desk.py --root ROOT --aggregate AGG --unit U --period P

Starts `aggregate desk` for U in ROOT with its clock on the 15th of P at 10:00 (China time),
registers three graduates and follows two of them up through the JSON API (one is placed), gives
one three job-information contacts, follows up one person already in U's latest merged summary,
closes a batch into U's inbox for P, and stops the desk (SIGTERM). Writes ROOT/desk-demo.json:
the people entered and what the month's run must show for them. python3 stdlib only.
"""
import argparse
import json
import os
import signal
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "Tests", "e2e"))
from desk_support import Desk, make_id  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--root", required=True)
    ap.add_argument("--aggregate", required=True)
    ap.add_argument("--unit", required=True)
    ap.add_argument("--period", required=True)
    a = ap.parse_args()
    os.environ["AGGREGATE"] = a.aggregate
    d = Desk(a.root, as_of=f"{a.period}-15T10:00:00+08:00", unit=a.unit)
    expect = {}
    try:
        people = [("周敏", "女", "19900812", "3", "4", "25"), ("吴强", "男", "19891103", "2", "1", "12"),
                  ("郑丽", "女", "19910227", "3", "2", "3")]
        seq, made = 901, []
        for name, sex, birth, edu, hardship, needs in people:
            while True:
                pid = make_id(seq, birth=birth, region=a.unit)
                seq += 1
                if (int(pid[16]) % 2 == 1) != (sex == "男"):
                    continue
                s, j = d.request("POST", "/api/registrations", {
                    "姓名": name, "性别": sex, "民族": "汉族", "公民身份号码": pid, "毕业院校": "浙江大学",
                    "毕业日期": "20120630", "学历": edu, "所学专业": "软件工程", "入学前户口所在地": a.unit,
                    "电子邮箱": "", "邮编": "", "手机号码": "13700137000", "固定电话": "", "困难状况": hardship,
                    "就业地意向": "2", "就业意向": "3", "就业服务需求": needs, "就业去向": ""})
                if s == 409:
                    continue  # already registered (in the county's merged summary): next number
                if s != 201:
                    raise SystemExit(f"demo_desk: registration failed {s}: {j}")
                made.append(pid)
                expect[pid] = {"姓名": name, "就业去向": ""}
                break
        for pid, dest in ((made[0], "4"), (made[1], "")):
            s, j = d.request("POST", f"/api/people/{pid}/followups", {"就业去向": dest, "就业服务需求": "2"})
            if s != 201:
                raise SystemExit(f"demo_desk: follow-up failed {s}: {j}")
            expect[pid]["就业去向"] = dest
        for n in range(3):
            s, j = d.request("POST", f"/api/people/{made[1]}/services", {"kind": "info", "note": f"岗位信息{n + 1}"})
            if s != 201:
                raise SystemExit(f"demo_desk: service failed {s}: {j}")
        # One person already in the county's merged summary (known to the desk from its start).
        s, due = d.request("GET", f"/api/due?period={a.period}")
        known = [e["公民身份号码"] for e in due.get("due", []) if e["公民身份号码"] not in made]
        if known:
            s, j = d.request("POST", f"/api/people/{known[0]}/followups", {"就业去向": "9"})
            if s == 201:
                expect[known[0]] = {"姓名": j["record"]["姓名"], "就业去向": "9"}
        s, batch = d.request("POST", "/api/batches")
        if s != 201:
            raise SystemExit(f"demo_desk: closing the batch failed {s}: {batch}")
    finally:
        rc = d.stop(signal.SIGTERM)
    if rc != 0:
        raise SystemExit(f"demo_desk: the desk did not stop cleanly (status {rc})")
    with open(os.path.join(a.root, "desk-demo.json"), "w", encoding="utf-8") as f:
        json.dump({"unit": a.unit, "period": a.period, "batch": batch, "people": expect}, f, ensure_ascii=False, indent=1)
    print(f"demo:   desk {a.unit} as of {a.period}-15 10:00: {len(made)} registered, "
          f"{len(expect) - len(made) + 2} followed up, 3 information contacts; batch {batch['file']} ({batch['rows']} rows)")


if __name__ == "__main__":
    main()
