import Foundation
import HuizongTestSupport
@testable import HuizongCore
import Testing

// Signed submissions (SPEC 8.4): `keys new`, signing at run time, FILE_SIGNATURE above county,
// key rotation, refused key files, `aggregate verify`. Expected values come from RFC 8032, from
// OpenSSL (an independent Ed25519) where it is installed, from the SPEC's exact text of the
// signature line, and from the worked 2-city example.

// MARK: - Helpers

private func hexBytes(_ s: String) -> [UInt8] {
    var out: [UInt8] = []
    var i = s.startIndex
    while i < s.endIndex {
        let j = s.index(i, offsetBy: 2)
        out.append(UInt8(s[i..<j], radix: 16)!)
        i = j
    }
    return out
}

private func b64(_ bytes: [UInt8]) -> String { Data(bytes).base64EncodedString() }

/// `aggregate keys new --unit U --out DIR` in `cwd`; returns the printed public key.
@discardableResult
private func keysNew(_ unit: String, out: String = "keys", cwd: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
    let r = try aggregate(["keys", "new", "--unit", unit, "--out", out], cwd: cwd)
    #expect(r.status == 0, "keys new \(unit): \(r.stderr)", sourceLocation: sourceLocation)
    return r.stdout.trimmingCharacters(in: .newlines)
}

/// Sets `publicKey` on units of a pipeline.json: one key → a string, two → a list; nil removes it.
private func setPublicKeys(_ configPath: String, _ keys: [String: [String]?]) {
    editJSON(configPath) { root in
        var units = root["units"] as! [[String: Any]]
        for i in units.indices {
            let code = units[i]["code"] as! String
            guard let entry = keys[code] else { continue }
            if let list = entry {
                units[i]["publicKey"] = list.count == 1 ? list[0] as Any : list as Any
            } else {
                units[i].removeValue(forKey: "publicKey")
            }
        }
        root["units"] = units
    }
}

/// The public key OpenSSL derives from a 32-byte Ed25519 seed (PKCS#8 DER of RFC 8410), or nil
/// when the `openssl` command is not installed.
private func openSSLPublicKey(seed: [UInt8]) throws -> [UInt8]? {
    guard FileManager.default.isExecutableFile(atPath: "/usr/bin/openssl") else { return nil }
    let dir = TempDir("ossl")
    dir.write("k.der", hexBytes("302e020100300506032b657004220420") + seed)
    let r = try runProcess("/usr/bin/openssl", ["pkey", "-inform", "DER", "-in", dir.url("k.der"), "-pubout", "-outform", "DER",
                                                "-out", dir.url("p.der")])
    guard r.status == 0 else { throw TestFailure("openssl pkey: \(r.stderr)") }
    return Array(dir.read("p.der").suffix(32))
}

/// Whether OpenSSL accepts `signature` of `message` by `publicKey`; nil without `openssl`.
private func openSSLVerifies(_ signature: [UInt8], _ message: [UInt8], _ publicKey: [UInt8]) throws -> Bool? {
    guard FileManager.default.isExecutableFile(atPath: "/usr/bin/openssl") else { return nil }
    let dir = TempDir("ossl")
    dir.write("p.der", hexBytes("302a300506032b6570032100") + publicKey)
    dir.write("m.bin", message)
    dir.write("s.bin", signature)
    let r = try runProcess("/usr/bin/openssl", ["pkeyutl", "-verify", "-pubin", "-keyform", "DER", "-inkey", dir.url("p.der"),
                                                "-rawin", "-in", dir.url("m.bin"), "-sigfile", dir.url("s.bin")])
    return r.status == 0
}

/// The SPEC 8.4 ending of a signed manifest, split off: (unsigned bytes, key, value), checked
/// here with a regular expression written from the SPEC's text (not with the product's parser).
private func splitSigned(_ bytes: [UInt8]) -> (unsigned: [UInt8], key: String, value: String)? {
    let text = String(decoding: bytes, as: UTF8.self)
    let pattern = #",\n  "signature": \{"alg": "ed25519", "key": "([A-Za-z0-9+/=]+)", "value": "([A-Za-z0-9+/=]+)"\}\n\}\n\z"#
    guard let re = try? NSRegularExpression(pattern: pattern),
          let m = re.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) else { return nil }
    let ns = text as NSString
    let unsigned = Array(ns.substring(to: m.range.location).utf8) + Array("\n}\n".utf8)
    return (unsigned, ns.substring(with: m.range(at: 1)), ns.substring(with: m.range(at: 2)))
}

/// A few valid people per county, run (signed with whatever key the run finds) and shipped.
private func countiesOf110100(_ pipe: Pipeline, except: Set<String> = []) throws -> [String: [Person]] {
    var out: [String: [Person]] = [:]
    for (i, code) in ["110105", "110108", "110112"].enumerated() where !except.contains(code) {
        let ps = people(code, (i * 10)..<(i * 10 + 3))
        try pipe.county(code, "2012-09", ps)
        out[code] = ps
    }
    return out
}

private let cityInbox = "data/110100/inbox/2012-09/"

@Suite struct SignatureTests {
    // MARK: Ed25519 is standard (RFC 8032 section 7.1, tests 1 and 2)

    @Test func rfc8032TestVectors() throws {
        let vectors: [(seed: String, pub: String, msg: String, sig: String)] = [
            ("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
             "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "",
             "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"),
            ("4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
             "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c", "72",
             "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"),
        ]
        for v in vectors {
            let key = try UnitKey(seed: hexBytes(v.seed))
            #expect(key.publicKey == hexBytes(v.pub))
            #expect(key.sign(hexBytes(v.msg)) == hexBytes(v.sig))
            #expect(UnitKey.isValidSignature(hexBytes(v.sig), of: hexBytes(v.msg), by: hexBytes(v.pub)))
            var bad = hexBytes(v.sig)
            bad[10] ^= 1
            #expect(!UnitKey.isValidSignature(bad, of: hexBytes(v.msg), by: hexBytes(v.pub)))
        }
    }

    // MARK: the exact form of a signed manifest

    @Test func theSignatureLineHasTheExactFormOfTheSpec() throws {
        let key = try UnitKey(seed: hexBytes("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"))
        let unsigned = Array("{\n  \"a\": 1\n}\n".utf8)
        let signed = SubmissionSignature.sign(manifest: unsigned, with: key)
        // The signature value by Python's `cryptography` (OpenSSL) with RFC 8032's first key.
        let expected = "{\n  \"a\": 1,\n  \"signature\": {\"alg\": \"ed25519\", \"key\": \"11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=\", "
            + "\"value\": \"nH1T2Rg2u/KTe5TqADHfSaZqN4G+hxWXK72BIlL/xbURVDzvu2kuqeM7C6Zx/26RAwPHDdFiTM8e9n9FZyEOBA==\"}\n}\n"
        #expect(String(decoding: signed, as: UTF8.self) == expected)
        #expect(try JSONSerialization.jsonObject(with: Data(signed)) is [String: Any])
        let found = try #require(SubmissionSignature.find(in: signed))
        #expect(found.signedBytes == unsigned)
        let pub = "11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo="
        #expect(SubmissionSignature.verify(manifest: signed, publicKeys: [pub]) == .valid(keyIndex: 0))
        #expect(SubmissionSignature.verify(manifest: unsigned, publicKeys: [pub]) == .missing)
        let other = UnitKey.generate().publicKeyBase64
        #expect(SubmissionSignature.verify(manifest: signed, publicKeys: [other]) == .wrongKey)
        #expect(SubmissionSignature.verify(manifest: signed, publicKeys: [other, pub]) == .valid(keyIndex: 1))

        // Anything but exactly that ending is no signature: key order, spacing, trailing bytes.
        let variants = [
            expected.replacingOccurrences(of: "\"alg\": \"ed25519\", ", with: "").replacingOccurrences(of: "\"}\n}\n", with: "\", \"alg\": \"ed25519\"}\n}\n"),
            expected.replacingOccurrences(of: "{\"alg\"", with: "{ \"alg\""),
            expected + "\n",
            expected.replacingOccurrences(of: "ed25519", with: "Ed25519"),
            expected.replacingOccurrences(of: ",\n  \"signature\"", with: ",\n\"signature\""),
        ]
        for v in variants {
            #expect(SubmissionSignature.find(in: Array(v.utf8)) == nil, "\(v)")
            #expect(SubmissionSignature.verify(manifest: Array(v.utf8), publicKeys: [pub]) == .missing)
        }
        // One byte of the signed content changed.
        let changed = Array(expected.replacingOccurrences(of: "\"a\": 1", with: "\"a\": 2").utf8)
        #expect(SubmissionSignature.verify(manifest: changed, publicKeys: [pub]) == .badSignature)
    }

    @Test func publicKeysInPipelineJSON() throws {
        let k1 = UnitKey.generate().publicKeyBase64, k2 = UnitKey.generate().publicKeyBase64
        func config(_ publicKey: String) throws -> PipelineConfig {
            try PipelineConfig(json: Data("""
            {"units": [{"code": "110100", "name": "c", "level": "city"},
                       {"code": "110105", "name": "x", "level": "county", "parent": "110100", "publicKey": \(publicKey)}]}
            """.utf8))
        }
        #expect(try config("\"\(k1)\"").unit("110105")?.publicKeys == [k1])
        #expect(try config("[\"\(k1)\", \"\(k2)\"]").unit("110105")?.publicKeys == [k1, k2])
        #expect(try config("\"\(k1)\"").unit("110100")?.publicKeys == [])
        for bad in ["\"abc\"", "\"\(b64([UInt8](repeating: 1, count: 31)))\"", "[]", "[\"\(k1)\", \"\(k2)\", \"\(k1)\"]", "42", "[42]"] {
            #expect(throws: PipelineConfig.ConfigError.self, "\(bad)") { try config(bad) }
            do { _ = try config(bad) } catch { #expect("\(error)".contains("110105"), "\(bad): names the unit") }
        }
    }

    // MARK: keys new

    @Test func keysNewWritesTheKeyPairAndPrintsThePublicKey() throws {
        let dir = TempDir("keys")
        let printed = try aggregate(["keys", "new", "--unit", "110105", "--out", "k/sub"], cwd: dir.path)
        #expect(printed.status == 0, "\(printed.stderr)")
        #expect(dir.list("k/sub") == ["110105.key", "110105.pub"])
        #expect(mode(dir.url("k/sub/110105.key")) == 0o600)
        #expect(mode(dir.url("k/sub/110105.pub")) & 0o077 == 0)
        #expect(mode(dir.url("k/sub")) == 0o700)
        let keyText = String(decoding: dir.read("k/sub/110105.key"), as: UTF8.self)
        let pubText = String(decoding: dir.read("k/sub/110105.pub"), as: UTF8.self)
        // One line each: base64 of 32 bytes.
        #expect(keyText.hasSuffix("\n") && keyText.filter { $0 == "\n" }.count == 1)
        #expect(pubText.hasSuffix("\n") && pubText.filter { $0 == "\n" }.count == 1)
        let seed = try #require(Data(base64Encoded: keyText.trimmingCharacters(in: .newlines)))
        let pub = try #require(Data(base64Encoded: pubText.trimmingCharacters(in: .newlines)))
        #expect(seed.count == 32 && pub.count == 32)
        // The public key alone on its own line, and the .pub file's content.
        #expect(printed.stdout == pubText)
        // The public key belongs to the seed (OpenSSL's derivation when installed; RFC-checked otherwise).
        if let derived = try openSSLPublicKey(seed: [UInt8](seed)) {
            #expect(derived == [UInt8](pub))
        }
        #expect(try UnitKey(seed: [UInt8](seed)).publicKey == [UInt8](pub))
        #expect(!printed.stdout.contains(keyText.trimmingCharacters(in: .newlines)) && !printed.stderr.contains(keyText.trimmingCharacters(in: .newlines)))

        // A second key pair never replaces the first by accident.
        let again = try aggregate(["keys", "new", "--unit", "110105", "--out", "k/sub"], cwd: dir.path)
        #expect(again.status == 1)
        #expect(again.stderr.contains("110105.key"))
        #expect(String(decoding: dir.read("k/sub/110105.key"), as: UTF8.self) == keyText)
        let forced = try aggregate(["keys", "new", "--unit", "110105", "--out", "k/sub", "--force"], cwd: dir.path)
        #expect(forced.status == 0)
        #expect(String(decoding: dir.read("k/sub/110105.key"), as: UTF8.self) != keyText)
        #expect(forced.stdout == String(decoding: dir.read("k/sub/110105.pub"), as: UTF8.self))
        #expect(mode(dir.url("k/sub/110105.key")) == 0o600)
        #expect(dir.list("k/sub") == ["110105.key", "110105.pub"])

        // Usage errors.
        #expect(try aggregate(["keys", "new", "--unit", "11010", "--out", "k2"], cwd: dir.path).status == 1)
        #expect(try aggregate(["keys", "new", "--unit", "110105"], cwd: dir.path).status == 1)
        #expect(!dir.exists("k2"))
    }

    // MARK: signing at run time

    @Test func aRunWithAKeySignsItsManifestAndNeverWritesThePrivateKey() throws {
        let dir = TempDir("sign")
        let pub = try keysNew("110105", out: "k", cwd: dir.path)
        let seedText = String(decoding: dir.read("k/110105.key"), as: UTF8.self).trimmingCharacters(in: .newlines)
        let run = try countyRun(texts: [("a.csv", summaryText(people("110105", 0..<3)))], extra: ["--key", dir.url("k/110105.key")])
        let out = try require(run, status: 0)
        let bytes = readBytes(run.outDir + "/110105-2012-09.manifest.json")
        let parts = try #require(splitSigned(bytes), "the manifest ends with the SPEC 8.4 signature line")
        #expect(parts.key == pub)
        #expect(out.manifest["signature"] as? [String: String] == ["alg": "ed25519", "key": pub, "value": parts.value])
        let sig = try #require(Data(base64Encoded: parts.value))
        #expect(sig.count == 64)
        // What was signed is exactly the manifest the tool writes without a key.
        let unsignedRun = try countyRun(texts: [("a.csv", summaryText(people("110105", 0..<3)))])
        #expect(unsignedRun.result.status == 0)
        #expect(parts.unsigned == readBytes(unsignedRun.outDir + "/110105-2012-09.manifest.json"))
        #expect(splitSigned(readBytes(unsignedRun.outDir + "/110105-2012-09.manifest.json")) == nil)
        if let ok = try openSSLVerifies([UInt8](sig), parts.unsigned, [UInt8](Data(base64Encoded: pub)!)) {
            #expect(ok, "OpenSSL verifies the manifest's signature")
        }
        // The private key is in no output, nor on the terminal.
        let everything = [String(decoding: bytes, as: UTF8.self), String(decoding: out.summaryBytes, as: UTF8.self),
                          out.reportRawLines.joined(separator: "\n"), run.result.stdout, run.result.stderr]
        #expect(!everything.contains { $0.contains(seedText) })
        #expect(Set(run.dir.list("out")) == ["110105-2012-09.csv.gz", "110105-2012-09.discrepancies.csv.gz", "110105-2012-09.manifest.json"])
    }

    @Test(arguments: ["--key", "beside-config", "HUIZONG_KEY_FILE"])
    func aPrivateKeyFileOthersCanReadIsRefused(source: String) throws {
        let pipe = Pipeline()
        try keysNew("110105", cwd: pipe.dir.path)
        try keysNew("110108", out: "elsewhere", cwd: pipe.dir.path)
        pipe.batch("110105", "2012-09", "intake.csv", people("110105", 0..<2))
        var extra: [String] = [], env: [String: String] = [:]
        var keyPath = pipe.dir.url("keys/110105.key")
        switch source {
        case "--key":
            keyPath = pipe.dir.url("elsewhere/110108.key"); extra = ["--key", keyPath]
            try FileManager.default.removeItem(atPath: pipe.dir.url("keys/110105.key"))
        case "HUIZONG_KEY_FILE":
            keyPath = pipe.dir.url("elsewhere/110108.key"); env = ["HUIZONG_KEY_FILE": keyPath]
            try FileManager.default.removeItem(atPath: pipe.dir.url("keys/110105.key"))
        default: break
        }
        for m in [0o640, 0o604, 0o660, 0o644, 0o610] {
            chmod(keyPath, mode_t(m))
            let r = try pipe.run("110105", "2012-09", env: env, extra: extra)
            #expect(r.status == 1, "\(source) mode \(String(m, radix: 8)): exit \(r.status)")
            #expect(r.stderr.contains("chmod 600"), "\(r.stderr)")
            #expect(!pipe.dir.exists("data/110105/outbox/2012-09/110105-2012-09.manifest.json"), "nothing written")
        }
        chmod(keyPath, 0o600)
        let r = try pipe.run("110105", "2012-09", env: env, extra: extra)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try pipe.outputs("110105", "2012-09").manifest["signature"] != nil)
        // A key named explicitly that does not exist is a usage error too.
        let missing = try pipe.run("110105", "2012-09", extra: ["--key", pipe.dir.url("nope.key")])
        #expect(missing.status == 1)
        let missingEnv = try pipe.run("110105", "2012-09", env: ["HUIZONG_KEY_FILE": pipe.dir.url("nope.key")], extra: [])
        #expect(missingEnv.status == (source == "beside-config" ? 0 : 1), "keys/U.key beside the config comes first")
    }

    // MARK: above county

    @Test func signedCountiesAreReadByTheCity() throws {
        let pipe = Pipeline()
        var keys: [String: [String]?] = [:]
        for c in ["110105", "110108", "110112"] { keys[c] = [try keysNew(c, cwd: pipe.dir.path)] }
        setPublicKeys(pipe.dir.url("pipeline.json"), keys)
        let byCounty = try countiesOf110100(pipe)
        for c in ["110105", "110108", "110112"] {
            let parts = try #require(splitSigned(readBytes(pipe.dir.url(cityInbox + "\(c)-2012-09.manifest.json"))), "\(c) signed")
            #expect(parts.key == keys[c]!![0])
        }
        let r = try pipe.run("110100", "2012-09")
        #expect(r.status == 0, "\(r.stderr)")
        let city = try pipe.outputs("110100", "2012-09")
        #expect(city.children["received"] == ["110105", "110108", "110112"] && city.children["rejected"] == [])
        #expect(city.inputs.allSatisfy { $0["status"] as? String == "read" })
        #expect(Set(city.ids) == Set(byCounty.values.flatMap { $0.map(\.id) }))
        #expect(city.manifest["signature"] == nil, "the city has no key of its own")
    }

    /// A county whose submission is tampered with (or badly signed) after a signed month; the
    /// city rejects that child's data file whole with the expected rule and reads the others.
    @Test(arguments: [
        ("manifest-byte", "FILE_SIGNATURE", "bad signature"),
        ("signature-byte", "FILE_SIGNATURE", "bad signature"),
        ("signature-removed", "FILE_SIGNATURE", "missing"),
        ("unsigned-run", "FILE_SIGNATURE", "missing"),
        ("another-units-key", "FILE_SIGNATURE", "wrong key"),
        ("data-byte", "FILE_MANIFEST_MISMATCH", "sha256"),
        ("report-byte", "FILE_MANIFEST_MISMATCH", "discrepancy report"),
        ("data-recompressed", "FILE_MANIFEST_MISMATCH", "sha256"),
    ])
    func aTamperedSubmissionIsRejectedWithItsReason(tamper: String, rule: String, reason: String) throws {
        let pipe = Pipeline()
        var keys: [String: [String]?] = [:]
        for c in ["110105", "110108", "110112"] { keys[c] = [try keysNew(c, cwd: pipe.dir.path)] }
        setPublicKeys(pipe.dir.url("pipeline.json"), keys)
        let byCounty = try countiesOf110100(pipe)
        let stem = cityInbox + "110108-2012-09"
        let manifest = pipe.dir.url(stem + ".manifest.json")
        func flipByte(_ path: String, at fraction: Double) {
            var b = readBytes(path)
            let i = Int(Double(b.count) * fraction)
            b[i] ^= 0x01
            let t = fileMTime(path)
            _ = FileManager.default.createFile(atPath: path, contents: Data(b))
            setMTime(path, t)
        }
        switch tamper {
        case "manifest-byte":
            // One byte of the signed content: the as-of second, 00 → 01 (still valid JSON, all hashes right).
            var text = String(decoding: readBytes(manifest), as: UTF8.self)
            let range = try #require(text.range(of: "\"asOf\": \"2012-10-04T12:00:00+08:00\""))
            text.replaceSubrange(range, with: "\"asOf\": \"2012-10-04T12:00:01+08:00\"")
            _ = FileManager.default.createFile(atPath: manifest, contents: Data(text.utf8))
            setMTime(manifest, Pipeline.onTime)
        case "signature-byte":
            var text = String(decoding: readBytes(manifest), as: UTF8.self)
            let range = try #require(text.range(of: "\"value\": \""))
            let at = range.upperBound
            let c = text[at]
            text.replaceSubrange(at...at, with: c == "A" ? "B" : "A")
            _ = FileManager.default.createFile(atPath: manifest, contents: Data(text.utf8))
        case "signature-removed":
            let parts = try #require(splitSigned(readBytes(manifest)))
            _ = FileManager.default.createFile(atPath: manifest, contents: Data(parts.unsigned))
        case "unsigned-run":
            try FileManager.default.moveItem(atPath: pipe.dir.url("keys/110108.key"), toPath: pipe.dir.url("110108.key.away"))
            #expect(try pipe.run("110108", "2012-09").status == 0)
            pipe.ship("110108", "2012-09")
        case "another-units-key":
            // 110108 signs with 110105's key (its own is configured in pipeline.json).
            let r = try pipe.run("110108", "2012-09", extra: ["--key", pipe.dir.url("keys/110105.key")])
            #expect(r.status == 0)
            #expect(r.stderr.contains("FILE_SIGNATURE"), "the run warns that its parent will reject it")
            pipe.ship("110108", "2012-09")
        case "data-byte":
            flipByte(pipe.dir.url(stem + ".csv.gz"), at: 0.5)
        case "report-byte":
            flipByte(pipe.dir.url(stem + ".discrepancies.csv.gz"), at: 0.5)
        default:
            let path = pipe.dir.url(stem + ".csv.gz")
            let text = try gunzip(path)
            _ = FileManager.default.createFile(atPath: path, contents: Data(gzipMember(text, level: 1)))
            setMTime(path, Pipeline.onTime)
        }
        let r = try pipe.run("110100", "2012-09")
        #expect(r.status == 2, "\(tamper): exit \(r.status) \(r.stderr)")
        let city = try pipe.outputs("110100", "2012-09")
        #expect(lineRules(city, "110108-2012-09.csv.gz") == [":" + rule], "\(tamper)")
        let finding = city.report.first { $0["来源文件"] == "110108-2012-09.csv.gz" }
        #expect(finding?["级别"] == "reject" && finding?["来源单位"] == "110108" && finding?["行号"] == "")
        #expect(finding?["说明"]?.contains(reason) == true, "\(tamper): \(finding?["说明"] ?? "")")
        #expect(city.input("110108-2012-09.csv.gz")?["status"] as? String == "rejected")
        #expect(city.children["rejected"] == ["110108"])
        #expect(Set(city.ids) == Set((byCounty["110105"]! + byCounty["110112"]!).map(\.id)))
        #expect(!city.report.contains { $0["发现单位"] == "110108" }, "its report is left out")

        // `aggregate verify` says the same (one code path), and passes an untouched sibling.
        let v = try aggregate(["verify", "--config", "pipeline.json", stem + ".manifest.json"], cwd: pipe.dir.path)
        #expect(v.status == 2, "\(tamper): verify exit \(v.status) \(v.stdout) \(v.stderr)")
        #expect(v.stdout.contains(rule) && v.stdout.contains(reason), "\(v.stdout)")
        let ok = try aggregate(["verify", "--config", "pipeline.json", cityInbox + "110105-2012-09.manifest.json"], cwd: pipe.dir.path)
        #expect(ok.status == 0, "\(ok.stdout) \(ok.stderr)")
    }

    @Test func aChildWithoutAConfiguredKeyIsReadAsBefore() throws {
        let pipe = Pipeline()
        // 110105 has a key configured; 110108 signs without one configured; 110112 does not sign.
        let k105 = try keysNew("110105", cwd: pipe.dir.path)
        try keysNew("110108", cwd: pipe.dir.path)
        setPublicKeys(pipe.dir.url("pipeline.json"), ["110105": [k105]])
        let byCounty = try countiesOf110100(pipe)
        #expect(splitSigned(readBytes(pipe.dir.url(cityInbox + "110108-2012-09.manifest.json"))) != nil)
        #expect(splitSigned(readBytes(pipe.dir.url(cityInbox + "110112-2012-09.manifest.json"))) == nil)
        let r = try pipe.run("110100", "2012-09")
        #expect(r.status == 0, "\(r.stderr)")
        let city = try pipe.outputs("110100", "2012-09")
        #expect(city.children["rejected"] == [] && city.inputs.allSatisfy { $0["status"] as? String == "read" })
        #expect(Set(city.ids) == Set(byCounty.values.flatMap { $0.map(\.id) }))
        #expect(!city.report.contains { $0["规则"] == "FILE_SIGNATURE" })
        // Without a key, a tampered manifest is caught only where its hashes no longer match.
        let manifest = pipe.dir.url(cityInbox + "110112-2012-09.manifest.json")
        var text = String(decoding: readBytes(manifest), as: UTF8.self)
        text = text.replacingOccurrences(of: "\"asOf\": \"2012-10-04T12:00:00+08:00\"", with: "\"asOf\": \"2012-10-04T12:00:01+08:00\"")
        _ = FileManager.default.createFile(atPath: manifest, contents: Data(text.utf8))
        #expect(try pipe.run("110100", "2012-09").status == 0)
        let v = try aggregate(["verify", "--config", "pipeline.json", cityInbox + "110112-2012-09.manifest.json"], cwd: pipe.dir.path)
        #expect(v.status == 0, "\(v.stdout)")
    }

    @Test func twoKeysListedWhileRotatingEitherVerifies() throws {
        let pipe = Pipeline()
        let old = try keysNew("110108", cwd: pipe.dir.path)
        let new = try keysNew("110108", out: "newkeys", cwd: pipe.dir.path)
        let stranger = try keysNew("110108", out: "stranger", cwd: pipe.dir.path)
        setPublicKeys(pipe.dir.url("pipeline.json"), ["110108": [old, new]])
        _ = try countiesOf110100(pipe)                        // 110108 signs with keys/110108.key: the old one
        func cityRejects110108() throws -> Bool {
            let r = try pipe.run("110100", "2012-09")
            let city = try pipe.outputs("110100", "2012-09")
            let rules = lineRules(city, "110108-2012-09.csv.gz")
            #expect(r.status == (rules.isEmpty ? 0 : 2))
            return rules == [":FILE_SIGNATURE"]
        }
        #expect(try !cityRejects110108(), "old key, both listed")
        func resign(_ keyDir: String) throws {
            #expect(try pipe.run("110108", "2012-09", extra: ["--key", pipe.dir.url(keyDir + "/110108.key")]).status == 0)
            pipe.ship("110108", "2012-09")
        }
        try resign("newkeys")
        #expect(try !cityRejects110108(), "new key, both listed")
        try resign("stranger")
        #expect(try cityRejects110108(), "a key that is not listed")
        // The rotation ends: only the new key stays.
        setPublicKeys(pipe.dir.url("pipeline.json"), ["110108": [new]])
        try resign("keys")
        #expect(try cityRejects110108(), "the old key no longer verifies")
        try resign("newkeys")
        #expect(try !cityRejects110108(), "the new key alone")
        _ = stranger
    }

    // MARK: verify

    @Test func verifyExitStatuses() throws {
        let pipe = Pipeline()
        let k = try keysNew("110105", cwd: pipe.dir.path)
        setPublicKeys(pipe.dir.url("pipeline.json"), ["110105": [k]])
        _ = try countiesOf110100(pipe)
        func verify(_ args: [String]) throws -> ProcessResult { try aggregate(["verify"] + args, cwd: pipe.dir.path) }
        let valid = try verify(["--config", "pipeline.json", cityInbox + "110105-2012-09.manifest.json"])
        #expect(valid.status == 0, "\(valid.stdout) \(valid.stderr)")
        #expect(valid.stdout.contains("valid") && valid.stdout.contains("signature valid"))
        // The data file may be named instead of its manifest; the outbox copy verifies too.
        #expect(try verify(["--config", "pipeline.json", cityInbox + "110105-2012-09.csv.gz"]).status == 0)
        #expect(try verify(["--config", "pipeline.json", "data/110105/outbox/2012-09/110105-2012-09.manifest.json"]).status == 0)
        // A child without a key configured: valid when its hashes and rows match.
        let unsigned = try verify(["--config", "pipeline.json", cityInbox + "110108-2012-09.manifest.json"])
        #expect(unsigned.status == 0)
        #expect(unsigned.stdout.contains("no publicKey configured"))
        // Invalid: a row count that does not match.
        editJSON(pipe.dir.url(cityInbox + "110112-2012-09.manifest.json")) { m in
            var o = m["outputs"] as! [String: Any]; var s = o["summary"] as! [String: Any]
            s["rows"] = (s["rows"] as! Int) + 1; o["summary"] = s; m["outputs"] = o
        }
        let bad = try verify(["--config", "pipeline.json", cityInbox + "110112-2012-09.manifest.json"])
        #expect(bad.status == 2)
        #expect(bad.stdout.contains("FILE_MANIFEST_MISMATCH"))
        // Usage: no such file, a name that is not C-P.manifest.json, no or a bad configuration.
        #expect(try verify(["--config", "pipeline.json", cityInbox + "110105-2012-10.manifest.json"]).status == 1)
        try FileManager.default.copyItem(atPath: pipe.dir.url(cityInbox + "110105-2012-09.manifest.json"), toPath: pipe.dir.url("m.json"))
        #expect(try verify(["--config", "pipeline.json", "m.json"]).status == 1)
        #expect(try verify([cityInbox + "110105-2012-09.manifest.json"]).status == 1)
        #expect(try verify(["--config", "nope.json", cityInbox + "110105-2012-09.manifest.json"]).status == 1)
        // A unit with no parent and no --unit: nothing to check against.
        try FileManager.default.copyItem(atPath: pipe.dir.url(cityInbox + "110105-2012-09.manifest.json"),
                                         toPath: pipe.dir.url("000000-2012-09.manifest.json"))
        #expect(try verify(["--config", "pipeline.json", "000000-2012-09.manifest.json"]).status == 1)
    }

    // MARK: the worked 2-city example, signed

    @Test func signedTwoCityExample() throws {
        let example = Paths.shared + "/examples/2-city"
        guard FileManager.default.fileExists(atPath: example + "/pipeline.json") else {
            throw TestFailure("the worked example is missing: \(example)")
        }
        let dir = TempDir("2city")
        let fm = FileManager.default
        try fm.copyItem(atPath: example + "/pipeline.json", toPath: dir.url("pipeline.json"))
        chmod(dir.url("pipeline.json"), 0o600)
        for u in ["110105", "110108"] {
            try fm.createDirectory(atPath: dir.url("data/\(u)/inbox/2012-09"), withIntermediateDirectories: true)
            try fm.copyItem(atPath: example + "/data/\(u)/inbox/2012-09/batch-01.csv", toPath: dir.url("data/\(u)/inbox/2012-09/batch-01.csv"))
        }
        var keys: [String: [String]?] = [:]
        for u in ["110105", "110108"] { keys[u] = [try keysNew(u, cwd: dir.path)] }
        setPublicKeys(dir.url("pipeline.json"), keys)
        let asOf = "2012-10-04T12:00:00+08:00"
        let cityIn = dir.url("data/110100/inbox/2012-09")
        try fm.createDirectory(atPath: cityIn, withIntermediateDirectories: true)
        for u in ["110105", "110108"] {
            let r = try aggregate(["run", "--config", "pipeline.json", "--unit", u, "--period", "2012-09", "--as-of", asOf], cwd: dir.path)
            #expect(r.status == 0, "\(u): \(r.stderr)")
            for suffix in [".csv.gz", ".discrepancies.csv.gz", ".manifest.json"] {
                let name = "\(u)-2012-09" + suffix
                try fm.copyItem(atPath: dir.url("data/\(u)/outbox/2012-09/" + name), toPath: cityIn + "/" + name)
                setMTime(cityIn + "/" + name, chinaEpoch(2012, 10, 3, 12))
            }
            #expect(splitSigned(readBytes(cityIn + "/\(u)-2012-09.manifest.json"))?.key == keys[u]!![0])
        }
        let r = try aggregate(["run", "--config", "pipeline.json", "--unit", "110100", "--period", "2012-09", "--as-of", asOf], cwd: dir.path)
        let want = String(decoding: readBytes(example + "/data/110100/outbox/2012-09/exit-status"), as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(String(r.status) == want, "\(r.stderr)")   // 2: 110112 sent nothing, as in the example
        let city = try RunOutputs(dir: dir.url("data/110100/outbox/2012-09"), stem: "110100-2012-09", keepAlive: dir)
        #expect(city.children["rejected"] == [] && city.children["received"] == ["110105", "110108"])
        #expect(city.inputs.allSatisfy { $0["status"] as? String == "read" })
        let expected = String(decoding: readBytes(example + "/data/110100/outbox/2012-09/110100-2012-09.csv.txt"), as: UTF8.self)
        #expect(String(decoding: city.summaryBytes, as: UTF8.self) == expected, "the same merged table as the unsigned example")
        #expect(!city.report.contains { $0["规则"] == "FILE_SIGNATURE" })
        for u in ["110105", "110108"] {
            let v = try aggregate(["verify", "--config", "pipeline.json", "data/110100/inbox/2012-09/\(u)-2012-09.manifest.json"], cwd: dir.path)
            #expect(v.status == 0, "\(v.stdout)")
        }
    }
}
