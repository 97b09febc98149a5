"""Shared helpers of the desk's end-to-end tests (python3 stdlib only): a scratch county, a desk
process on an ephemeral loopback port, JSON requests, valid IDs computed independently."""
import http.client
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(REPO, "scripts"))
from spec import HEADER, with_check_digit  # noqa: E402  (the contract's constants, scripts/spec.py)

UNIT = "110105"


def aggregate():
    return os.environ.get("AGGREGATE") or os.path.join(REPO, ".build", "release", "aggregate")


def make_id(seq, birth="19900101", region="110105"):
    return with_check_digit(f"{region}{birth}{seq:03d}")


def form(pid, name="张三", sex=None, hardship="4", intentions="3", needs="2", **extra):
    if sex is None:
        sex = "男" if len(pid) < 17 or int(pid[16]) % 2 else "女"
    f = {"姓名": name, "性别": sex, "民族": "汉族", "公民身份号码": pid, "毕业院校": "北京大学",
         "毕业日期": "20120701", "学历": "3", "所学专业": "法学", "入学前户口所在地": "110105",
         "电子邮箱": "", "邮编": "100020", "手机号码": "13800138000", "固定电话": "",
         "困难状况": hardship, "就业地意向": "2", "就业意向": intentions, "就业服务需求": needs, "就业去向": ""}
    f.update(extra)
    return f


def scratch_county():
    """A temporary root with a small pipeline.json (relative layout, as the demo's)."""
    root = tempfile.mkdtemp(prefix="huizong-desk-e2e-")
    cfg = {"cohort": 2012, "graduationWindow": {"from": "2012-01-01", "to": "2012-12-31"},
           "reporting": {"firstPeriod": "2012-08", "lastPeriod": "2013-06", "deadlineDay": 5},
           "layout": {"inbox": "data/{unit}/inbox/{period}", "outbox": "data/{unit}/outbox/{period}"},
           "units": [{"code": "000000", "name": "人力资源社会保障部", "level": "ministry"},
                     {"code": "110000", "name": "北京市", "level": "province", "parent": "000000"},
                     {"code": "110100", "name": "北京市市辖区", "level": "city", "parent": "110000"},
                     {"code": UNIT, "name": "朝阳区", "level": "county", "parent": "110100"}]}
    with open(os.path.join(root, "pipeline.json"), "w", encoding="utf-8") as f:
        json.dump(cfg, f, ensure_ascii=False)
    return root


class Desk:
    """`aggregate desk` in ROOT on 127.0.0.1:0; the bound port is read from its first line."""

    def __init__(self, root, as_of="2012-10-15T10:00:00+08:00", env=None, extra=(), unit=UNIT, config="pipeline.json"):
        self.root = root
        e = dict(os.environ)
        e.pop("HUIZONG_TEST_KILL_AT", None)
        e.update(env or {})
        args = [aggregate(), "desk", "--config", config, "--unit", unit, "--listen", "127.0.0.1:0"]
        if as_of:
            args += ["--as-of", as_of]
        args += list(extra)
        self.proc = subprocess.Popen(args, cwd=root, env=e, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        line = self.proc.stdout.readline()
        if "listening on http://127.0.0.1:" not in line:
            self.proc.kill()
            raise RuntimeError(f"desk did not start: {line!r} {self.proc.stderr.read()}")
        self.port = int(line.split("http://127.0.0.1:")[1].split("/")[0])
        self.token = None

    def request(self, method, path, body=None, headers=None, raw=None, timeout=30):
        c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        h = {"Content-Type": "application/json"}
        if self.token:
            h["Authorization"] = "Bearer " + self.token
        h.update(headers or {})
        data = raw if raw is not None else (None if body is None else json.dumps(body, ensure_ascii=False).encode("utf-8"))
        c.request(method, path, body=data, headers=h)
        r = c.getresponse()
        text = r.read().decode("utf-8")
        c.close()
        try:
            return r.status, json.loads(text)
        except ValueError:
            return r.status, text

    def stop(self, sig=signal.SIGTERM):
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.collect()
        return self.proc.returncode

    def collect(self):
        """After the process ended: its remaining output in .out/.err, the pipes closed."""
        if not hasattr(self, "out"):
            self.out = self.proc.stdout.read()
            self.err = self.proc.stderr.read()
            self.proc.stdout.close()
            self.proc.stderr.close()


def desk_rows(root, unit=UNIT):
    """Every data row of every desk batch in the unit's inboxes: (file, row dict)."""
    out = []
    base = os.path.join(root, "data", unit, "inbox")
    for period in sorted(os.listdir(base)) if os.path.isdir(base) else []:
        d = os.path.join(base, period)
        for name in sorted(os.listdir(d)):
            if name.startswith("desk-") and name.endswith(".csv"):
                with open(os.path.join(d, name), encoding="utf-8") as f:
                    lines = f.read().split("\n")
                assert lines[0] == HEADER, (name, lines[0])
                assert lines[-1] == "", name
                import csv
                for row in csv.DictReader(lines[:-1]):
                    out.append((name, row))
    return out


def cleanup(root):
    shutil.rmtree(root, ignore_errors=True)
