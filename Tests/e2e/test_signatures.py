#!/usr/bin/env python3
"""End-to-end tests of signed submissions (SPEC 8.4), python3 stdlib only.

    AGGREGATE=.build/release/aggregate python3 Tests/e2e/test_signatures.py

The signatures the binary writes are checked with RFC 8032's own reference implementation of
Ed25519 (section 6, pure Python, below), itself checked against the RFC's test vectors: an
implementation independent of the product's (swift-crypto / BoringSSL). The worked 2-city example
is run signed: both counties sign, the city accepts them and merges the same table as the
unsigned example; a changed manifest byte is FILE_SIGNATURE, a changed data byte
FILE_MANIFEST_MISMATCH; a group-readable key is refused. Skipped when there is no binary.
"""
import base64
import csv
import gzip
import hashlib
import io
import json
import os
import re
import shutil
import stat
import subprocess
import tempfile
import unittest

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
EXAMPLE = os.path.normpath(os.path.join(REPO, "..", "shared", "examples", "2-city"))
AS_OF = "2012-10-04T12:00:00+08:00"
MTIME = 1349236800  # 2012-10-03 12:00:00 +08:00: shipped on time


def binary():
    b = os.environ.get("AGGREGATE") or os.path.join(REPO, ".build", "release", "aggregate")
    return b if os.path.isfile(b) and os.access(b, os.X_OK) else None


# --- RFC 8032 section 6: Ed25519 reference implementation --------------------------------------
P = 2 ** 255 - 19
Q = 2 ** 252 + 27742317777372353535851937790883648493


def _inv(x):
    return pow(x, P - 2, P)


D = -121665 * _inv(121666) % P
SQRT_M1 = pow(2, (P - 1) // 4, P)


def _sha512_modq(s):
    return int.from_bytes(hashlib.sha512(s).digest(), "little") % Q


def _add(p1, p2):
    a, b = (p1[1] - p1[0]) * (p2[1] - p2[0]) % P, (p1[1] + p1[0]) * (p2[1] + p2[0]) % P
    c, d = 2 * p1[3] * p2[3] * D % P, 2 * p1[2] * p2[2] % P
    e, f, g, h = b - a, d - c, d + c, b + a
    return (e * f, g * h, f * g, e * h)


def _mul(s, pt):
    acc = (0, 1, 1, 0)
    while s > 0:
        if s & 1:
            acc = _add(acc, pt)
        pt = _add(pt, pt)
        s >>= 1
    return acc


def _equal(p1, p2):
    return (p1[0] * p2[2] - p2[0] * p1[2]) % P == 0 and (p1[1] * p2[2] - p2[1] * p1[2]) % P == 0


def _recover_x(y, sign):
    if y >= P:
        return None
    x2 = (y * y - 1) * _inv(D * y * y + 1)
    if x2 == 0:
        return None if sign else 0
    x = pow(x2, (P + 3) // 8, P)
    if (x * x - x2) % P != 0:
        x = x * SQRT_M1 % P
    if (x * x - x2) % P != 0:
        return None
    if (x & 1) != sign:
        x = P - x
    return x


_GY = 4 * _inv(5) % P
_GX = _recover_x(_GY, 0)
G = (_GX, _GY, 1, _GX * _GY % P)


def _compress(pt):
    zinv = _inv(pt[2])
    x, y = pt[0] * zinv % P, pt[1] * zinv % P
    return int.to_bytes(y | ((x & 1) << 255), 32, "little")


def _decompress(s):
    y = int.from_bytes(s, "little")
    sign = y >> 255
    y &= (1 << 255) - 1
    x = _recover_x(y, sign)
    return None if x is None else (x, y, 1, x * y % P)


def _expand(secret):
    h = hashlib.sha512(secret).digest()
    a = int.from_bytes(h[:32], "little")
    a &= (1 << 254) - 8
    a |= 1 << 254
    return a, h[32:]


def ed25519_public(secret):
    return _compress(_mul(_expand(secret)[0], G))


def ed25519_sign(secret, msg):
    a, prefix = _expand(secret)
    pub = _compress(_mul(a, G))
    r = _sha512_modq(prefix + msg)
    rs = _compress(_mul(r, G))
    s = (r + _sha512_modq(rs + pub + msg) * a) % Q
    return rs + int.to_bytes(s, 32, "little")


def ed25519_verify(public, msg, signature):
    if len(public) != 32 or len(signature) != 64:
        return False
    a = _decompress(public)
    r = _decompress(signature[:32])
    if not a or not r:
        return False
    s = int.from_bytes(signature[32:], "little")
    if s >= Q:
        return False
    h = _sha512_modq(signature[:32] + public + msg)
    return _equal(_mul(s, G), _add(r, _mul(h, a)))


# --- SPEC 8.4's exact ending --------------------------------------------------------------------
ENDING = re.compile(rb',\n  "signature": \{"alg": "ed25519", "key": "([A-Za-z0-9+/=]+)", "value": "([A-Za-z0-9+/=]+)"\}\n\}\n\Z')


def split_signed(data):
    m = ENDING.search(data)
    if not m:
        return None
    return data[:m.start()] + b"\n}\n", m.group(1).decode(), m.group(2).decode()


class RFC8032(unittest.TestCase):
    def test_reference_implementation_matches_the_rfc(self):
        # RFC 8032 section 7.1, TEST 1 and TEST 2.
        for sk, pk, msg, sig in [
            ("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
             "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "",
             "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"),
            ("4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
             "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c", "72",
             "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"),
        ]:
            sk, pk, msg, sig = (bytes.fromhex(x) for x in (sk, pk, msg, sig))
            self.assertEqual(ed25519_public(sk), pk)
            self.assertEqual(ed25519_sign(sk, msg), sig)
            self.assertTrue(ed25519_verify(pk, msg, sig))
            self.assertFalse(ed25519_verify(pk, msg + b"x", sig))


@unittest.skipUnless(binary(), "no aggregate binary (set AGGREGATE or build .build/release/aggregate)")
@unittest.skipUnless(os.path.isfile(os.path.join(EXAMPLE, "pipeline.json")), "the worked 2-city example is missing")
class SignedTwoCityMonth(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="huizong-sign-")
        self.addCleanup(shutil.rmtree, self.tmp, True)
        shutil.copy(os.path.join(EXAMPLE, "pipeline.json"), self.tmp)
        os.chmod(os.path.join(self.tmp, "pipeline.json"), 0o600)
        for u in ("110105", "110108"):
            inbox = os.path.join(self.tmp, "data", u, "inbox", "2012-09")
            os.makedirs(inbox)
            shutil.copy(os.path.join(EXAMPLE, "data", u, "inbox", "2012-09", "batch-01.csv"), inbox)

    def agg(self, *args):
        return subprocess.run([binary(), *args], cwd=self.tmp, capture_output=True, text=True)

    def path(self, *parts):
        return os.path.join(self.tmp, *parts)

    def city_report(self):
        with gzip.open(self.path("data", "110100", "outbox", "2012-09", "110100-2012-09.discrepancies.csv.gz"), "rt", encoding="utf-8") as f:
            return list(csv.DictReader(f))

    def test_signed_month_and_tampering(self):
        pubs = {}
        for u in ("110105", "110108"):
            r = self.agg("keys", "new", "--unit", u, "--out", "keys")
            self.assertEqual(r.returncode, 0, r.stderr)
            pub_line = open(self.path("keys", u + ".pub")).read()
            self.assertEqual(r.stdout, pub_line)
            seed = base64.b64decode(open(self.path("keys", u + ".key")).read().strip(), validate=True)
            pub = base64.b64decode(pub_line.strip(), validate=True)
            self.assertEqual(len(seed), 32)
            self.assertEqual(ed25519_public(seed), pub, "the .pub is the seed's public key (RFC 8032)")
            self.assertEqual(stat.S_IMODE(os.stat(self.path("keys", u + ".key")).st_mode), 0o600)
            pubs[u] = pub_line.strip()
        cfg = json.load(open(self.path("pipeline.json")))
        for unit in cfg["units"]:
            if unit["code"] in pubs:
                unit["publicKey"] = pubs[unit["code"]]
        json.dump(cfg, open(self.path("pipeline.json"), "w"), ensure_ascii=False, indent=2)

        city_in = self.path("data", "110100", "inbox", "2012-09")
        os.makedirs(city_in)
        for u in ("110105", "110108"):
            r = self.agg("run", "--config", "pipeline.json", "--unit", u, "--period", "2012-09", "--as-of", AS_OF)
            self.assertEqual(r.returncode, 0, r.stderr)
            out = self.path("data", u, "outbox", "2012-09")
            data = open(os.path.join(out, f"{u}-2012-09.manifest.json"), "rb").read()
            parts = split_signed(data)
            self.assertIsNotNone(parts, "the manifest ends with the SPEC 8.4 signature line")
            unsigned, key, value = parts
            self.assertEqual(key, pubs[u])
            self.assertTrue(ed25519_verify(base64.b64decode(key), unsigned, base64.b64decode(value)),
                            "RFC 8032's reference verifies the signature over the unsigned manifest")
            self.assertEqual(json.loads(data)["signature"], {"alg": "ed25519", "key": key, "value": value})
            seed_text = open(self.path("keys", u + ".key")).read().strip()
            self.assertNotIn(seed_text, data.decode() + r.stdout + r.stderr)
            for f in os.listdir(out):
                shutil.copy(os.path.join(out, f), city_in)
                os.utime(os.path.join(city_in, f), (MTIME, MTIME))

        def city():
            return self.agg("run", "--config", "pipeline.json", "--unit", "110100", "--period", "2012-09", "--as-of", AS_OF)

        r = city()
        self.assertEqual(r.returncode, 2, r.stderr)  # 110112 sent nothing, as in the unsigned example
        manifest = json.load(open(self.path("data", "110100", "outbox", "2012-09", "110100-2012-09.manifest.json")))
        self.assertEqual(manifest["children"]["rejected"], [])
        self.assertEqual(manifest["children"]["received"], ["110105", "110108"])
        with gzip.open(self.path("data", "110100", "outbox", "2012-09", "110100-2012-09.csv.gz"), "rb") as f:
            merged = f.read()
        self.assertEqual(merged, open(os.path.join(EXAMPLE, "data", "110100", "outbox", "2012-09", "110100-2012-09.csv.txt"), "rb").read())
        for u in ("110105", "110108"):
            v = self.agg("verify", "--config", "pipeline.json", os.path.join(city_in, f"{u}-2012-09.manifest.json"))
            self.assertEqual(v.returncode, 0, v.stdout + v.stderr)

        # One byte of 110108's manifest: FILE_SIGNATURE.
        mpath = os.path.join(city_in, "110108-2012-09.manifest.json")
        original = open(mpath, "rb").read()
        changed = original.replace(b'"asOf": "2012-10-04T12:00:00+08:00"', b'"asOf": "2012-10-04T12:00:01+08:00"', 1)
        self.assertNotEqual(changed, original)
        open(mpath, "wb").write(changed)
        os.utime(mpath, (MTIME, MTIME))
        self.assertEqual(city().returncode, 2)
        rows = [r for r in self.city_report() if r["来源文件"] == "110108-2012-09.csv.gz"]
        self.assertEqual([(r["规则"], r["级别"], r["行号"]) for r in rows], [("FILE_SIGNATURE", "reject", "")])
        v = self.agg("verify", "--config", "pipeline.json", mpath)
        self.assertEqual(v.returncode, 2)
        self.assertIn("FILE_SIGNATURE", v.stdout)
        open(mpath, "wb").write(original)
        os.utime(mpath, (MTIME, MTIME))

        # One byte of its data file under the intact signed manifest: FILE_MANIFEST_MISMATCH.
        dpath = os.path.join(city_in, "110108-2012-09.csv.gz")
        data = bytearray(open(dpath, "rb").read())
        data[len(data) // 2] ^= 0x01
        open(dpath, "wb").write(bytes(data))
        os.utime(dpath, (MTIME, MTIME))
        self.assertEqual(city().returncode, 2)
        rows = [r for r in self.city_report() if r["来源文件"] == "110108-2012-09.csv.gz"]
        self.assertEqual([r["规则"] for r in rows], ["FILE_MANIFEST_MISMATCH"])
        self.assertEqual(self.agg("verify", "--config", "pipeline.json", mpath).returncode, 2)

        # A private key others can read is refused: exit 1.
        os.chmod(self.path("keys", "110105.key"), 0o640)
        r = self.agg("run", "--config", "pipeline.json", "--unit", "110105", "--period", "2012-09", "--as-of", AS_OF)
        self.assertEqual(r.returncode, 1)
        # Usage: verify on a file that is not there.
        self.assertEqual(self.agg("verify", "--config", "pipeline.json", "nope-2012-09.manifest.json").returncode, 1)


if __name__ == "__main__":
    unittest.main()
