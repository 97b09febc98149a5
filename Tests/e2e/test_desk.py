#!/usr/bin/env python3
"""End-to-end tests of `aggregate desk` over a real loopback socket (SPEC 9), python3 stdlib only.

- the HTTP guards: token (401), body size (413), Host (421), non-loopback needs --token-file,
  the database file 0600, SIGTERM stops cleanly;
- kills: the desk is SIGKILLed at each step of closing a batch (HUIZONG_TEST_KILL_AT =
  desk-batch-intent, desk-batch-linked, desk-batch-written) and at random moments under a
  concurrent registration/follow-up/batch load; after restarts every acknowledged entry is in
  exactly one batch file and no row is written twice.

Skipped without a built binary (AGGREGATE=... or .build/release/aggregate).
"""
import os
import sys
import random
import signal
import stat
import threading
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from desk_support import Desk, UNIT, aggregate, cleanup, desk_rows, form, make_id, scratch_county


@unittest.skipUnless(os.path.exists(aggregate()), "no aggregate binary")
class DeskHTTPTests(unittest.TestCase):
    def setUp(self):
        self.root = scratch_county()

    def tearDown(self):
        cleanup(self.root)

    def test_api_round_trip_and_clean_stop(self):
        d = Desk(self.root)
        try:
            status, page = d.request("GET", "/")
            self.assertEqual(status, 200)
            self.assertIn("公民身份号码", page)
            self.assertNotIn("http://", page.replace("http://www.w3.org", ""))  # nothing external
            pid = make_id(201)
            self.assertEqual(d.request("POST", "/api/registrations", form(pid))[0], 201)
            self.assertEqual(d.request("POST", "/api/registrations", form(pid))[0], 409)
            s, j = d.request("POST", f"/api/people/{pid}/followups", {"就业去向": "3"})
            self.assertEqual(s, 201, j)
            self.assertEqual(j["record"]["更新时间"], "2012-10-15T10:00:01+08:00")
            self.assertEqual(d.request("GET", f"/api/people/{pid}")[1]["record"]["就业去向"], "3")
            self.assertEqual(d.request("GET", "/api/people/110105199001010000")[0], 404)
            s, j = d.request("POST", "/api/batches")
            self.assertEqual((s, j["rows"]), (201, 2))
        finally:
            self.assertEqual(d.stop(signal.SIGTERM), 0)
        db = os.path.join(self.root, "desk", f"{UNIT}.sqlite")
        self.assertEqual(stat.S_IMODE(os.stat(db).st_mode), 0o600)
        # After the stop, everything acknowledged is still there.
        d = Desk(self.root)
        try:
            self.assertEqual(len(d.request("GET", f"/api/people/{make_id(201)}")[1]["history"]), 2)
        finally:
            d.stop(signal.SIGINT)

    def test_guards(self):
        d = Desk(self.root)
        try:
            big = b'{"\xe5\xa7\x93\xe5\x90\x8d": "' + b"a" * (70 * 1024) + b'"}'
            self.assertEqual(d.request("POST", "/api/check", raw=big)[0], 413)
            self.assertEqual(d.request("POST", "/api/check", raw=b"[1,2")[0], 400)
            self.assertEqual(d.request("GET", "/api/due", headers={"Host": "evil.example:80"})[0], 421)
        finally:
            d.stop()
        # Listening beyond loopback needs a token file.
        r = __import__("subprocess").run([aggregate(), "desk", "--config", "pipeline.json", "--unit", UNIT,
                                          "--listen", "0.0.0.0:0"], cwd=self.root, capture_output=True, text=True, timeout=60)
        self.assertEqual(r.returncode, 1)
        self.assertIn("--token-file", r.stderr)
        # With a token, every API request needs it.
        tf = os.path.join(self.root, "token")
        with open(tf, "w") as f:
            f.write("s3cret-token-0123456789\n")
        d = Desk(self.root, extra=["--token-file", tf])
        try:
            self.assertEqual(d.request("GET", "/api/due")[0], 401)
            self.assertEqual(d.request("GET", "/api/due", headers={"Authorization": "Bearer wrong"})[0], 401)
            self.assertEqual(d.request("GET", "/")[0], 200)  # the page holds no data
            d.token = "s3cret-token-0123456789"
            self.assertEqual(d.request("GET", "/api/due")[0], 200)
        finally:
            d.stop()

    def test_contact_values_never_logged(self):
        d = Desk(self.root)
        try:
            self.assertEqual(d.request("POST", "/api/registrations", form(make_id(203), 电子邮箱="secret.mail@example.com",
                                                                         手机号码="13912345678"))[0], 201)
            d.request("POST", "/api/check", form("bad", 手机号码="13912345678"))
        finally:
            d.stop()
        out, err = d.out, d.err
        for secret in ("13912345678", "secret.mail"):
            self.assertNotIn(secret, out + err)


KILL_POINTS = ["desk-batch-intent", "desk-batch-linked", "desk-batch-written"]


@unittest.skipUnless(os.path.exists(aggregate()), "no aggregate binary")
class DeskKillTests(unittest.TestCase):
    def setUp(self):
        self.root = scratch_county()

    def tearDown(self):
        cleanup(self.root)

    def test_kill_at_each_step_of_a_batch(self):
        for n, point in enumerate(KILL_POINTS):
            with self.subTest(point=point):
                root = scratch_county()
                try:
                    d = Desk(root, env={"HUIZONG_TEST_KILL_AT": point})
                    ids = [make_id(300 + 10 * n + i) for i in range(3)]
                    for pid in ids:
                        self.assertEqual(d.request("POST", "/api/registrations", form(pid))[0], 201)
                    self.assertEqual(d.request("POST", f"/api/people/{ids[0]}/followups", {"就业去向": "2"})[0], 201)
                    with self.assertRaises(Exception):  # the desk dies mid-batch: no reply
                        d.request("POST", "/api/batches")
                    self.assertEqual(d.proc.wait(timeout=30), -signal.SIGKILL)
                    d.collect()
                    d = Desk(root)  # recovery on start
                    try:
                        s, j = d.request("POST", "/api/batches")
                        self.assertEqual((s, j["rows"]), (200, 0))  # nothing pending, nothing twice
                        s, j = d.request("GET", "/api/batches")
                        self.assertEqual([b["state"] for b in j["batches"]], ["done"])
                    finally:
                        d.stop()
                    rows = desk_rows(root)
                    self.assertEqual(len({name for name, _ in rows}), 1, rows)
                    got = sorted((r["公民身份号码"], r["更新时间"]) for _, r in rows)
                    want = sorted([(pid, "2012-10-15T10:00:00+08:00") for pid in ids] + [(ids[0], "2012-10-15T10:00:01+08:00")])
                    self.assertEqual(got, want)
                    inbox = os.path.join(root, "data", UNIT, "inbox", "2012-10")
                    self.assertEqual([f for f in os.listdir(inbox) if f.startswith(".")], [])
                    for f in os.listdir(inbox):
                        self.assertEqual(stat.S_IMODE(os.stat(os.path.join(inbox, f)).st_mode), 0o600)
                finally:
                    cleanup(root)

    def test_random_kills_under_load(self):
        """Clients register, follow up and close batches concurrently; the desk is SIGKILLed at
        random moments. Every acknowledged entry ends in exactly one batch row."""
        rng = random.Random(int(os.environ.get("DESK_KILL_SEED", "20121015")))
        acked = []          # (id, 更新时间) of every 201
        lock = threading.Lock()
        registered = []
        seq = iter(range(1, 10**6))
        rounds = int(os.environ.get("DESK_KILL_ROUNDS", "6"))
        for rnd in range(rounds):
            d = Desk(self.root, as_of=f"2012-10-{10 + rnd:02d}T09:00:00+08:00")
            stop = threading.Event()

            def client(k):
                while not stop.is_set():
                    try:
                        with lock:
                            choice = rng.random()
                            target = rng.choice(registered) if registered and choice < 0.45 else None
                            n = next(seq)
                        if target is None and choice >= 0.95:
                            d.request("POST", "/api/batches", timeout=5)
                            continue
                        if target:
                            s, j = d.request("POST", f"/api/people/{target}/followups",
                                             {"就业去向": str(rng.randint(1, 15))}, timeout=5)
                        else:
                            pid = make_id(n % 1000, birth=f"19{80 + n // 1000 % 20:02d}0101")
                            s, j = d.request("POST", "/api/registrations", form(pid), timeout=5)
                        if s == 201:
                            with lock:
                                acked.append((j["record"]["公民身份号码"], j["record"]["更新时间"]))
                                if not target:
                                    registered.append(j["record"]["公民身份号码"])
                    except Exception:
                        if d.proc.poll() is not None:
                            return
            threads = [threading.Thread(target=client, args=(k,)) for k in range(8)]
            for t in threads:
                t.start()
            time.sleep(rng.uniform(0.3, 2.0))
            d.proc.kill()
            d.proc.wait()
            d.collect()
            stop.set()
            for t in threads:
                t.join()
        d = Desk(self.root, as_of="2012-10-25T09:00:00+08:00")
        try:
            s, j = d.request("POST", "/api/batches")
            self.assertIn(s, (200, 201))
        finally:
            d.stop()
        rows = desk_rows(self.root)
        keys = [(r["公民身份号码"], r["更新时间"]) for _, r in rows]
        self.assertEqual(len(keys), len(set(keys)), "a row written twice")
        missing = set(acked) - set(keys)
        self.assertEqual(missing, set(), f"{len(missing)} acknowledged entries lost")
        self.assertGreater(len(acked), 20, "the load did too little to prove anything")
        print(f"\nrandom kills: {rounds} rounds, {len(acked)} acknowledged entries, {len(rows)} rows in "
              f"{len({n for n, _ in rows})} batch files; none lost, none twice")


if __name__ == "__main__":
    unittest.main()
