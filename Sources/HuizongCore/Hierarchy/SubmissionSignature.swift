import Foundation

/// The signature of a submission (SPEC 8.4). A unit signs the bytes of its manifest as written
/// without the signature; since the manifest holds the sha256 of the data file and of the
/// discrepancy report, the signature covers the whole submission.
///
/// The form is exact, so that a verifier never has to re-serialise JSON: the unsigned manifest
/// ends with `\n}\n`; the signed one replaces that ending with
/// `,\n  "signature": {"alg": "ed25519", "key": "<base64>", "value": "<base64>"}\n}\n`.
/// Verifying strips that ending back to `\n}\n` and checks those bytes.
public enum SubmissionSignature {
    static let unsignedEnding: [UInt8] = Array("\n}\n".utf8)
    static let head: [UInt8] = Array(",\n  \"signature\": {\"alg\": \"ed25519\", \"key\": \"".utf8)
    static let middle: [UInt8] = Array("\", \"value\": \"".utf8)
    static let tail: [UInt8] = Array("\"}\n}\n".utf8)

    /// The signed manifest: `manifest` (which must end with `\n}\n`, as every manifest the tool
    /// writes does) with the signature line added before its closing brace.
    public static func sign(manifest: [UInt8], with key: UnitKey) -> [UInt8] {
        precondition(manifest.count >= unsignedEnding.count && Array(manifest.suffix(unsignedEnding.count)) == unsignedEnding,
                     "a manifest to sign must end with \\n}\\n")
        let value = Data(key.sign(manifest)).base64EncodedString()
        var out = Array(manifest.dropLast(unsignedEnding.count))  // up to the last value; the comma follows it
        out += head + Array(key.publicKeyBase64.utf8) + middle + Array(value.utf8) + tail
        return out
    }

    /// A signature found in a manifest's bytes.
    public struct Found: Sendable, Equatable {
        /// The manifest's bytes without the signature (ending `\n}\n`): what was signed.
        public var signedBytes: [UInt8]
        /// `signature.key` and `signature.value` as written.
        public var key: String
        public var value: String
    }

    /// The signature at the end of `manifest` in the exact form above, or nil when there is none
    /// in that form.
    public static func find(in manifest: [UInt8]) -> Found? {
        guard manifest.count > head.count + middle.count + tail.count,
              Array(manifest.suffix(tail.count)) == tail else { return nil }
        // The last occurrence of the head: key and value are base64, which holds no quote.
        guard let start = lastIndex(of: head, in: manifest) else { return nil }
        let keyStart = start + head.count
        let body = manifest[keyStart..<(manifest.count - tail.count)]
        guard let mid = firstIndex(of: middle, in: body) else { return nil }
        let keyBytes = manifest[keyStart..<mid], valueBytes = manifest[(mid + middle.count)..<(manifest.count - tail.count)]
        guard keyBytes.allSatisfy(isBase64), valueBytes.allSatisfy(isBase64) else { return nil }
        let signed = Array(manifest[0..<start]) + unsignedEnding
        return Found(signedBytes: signed, key: String(decoding: keyBytes, as: UTF8.self),
                     value: String(decoding: valueBytes, as: UTF8.self))
    }

    /// What a check of a manifest against a child's configured keys found.
    public enum Verdict: Sendable, Equatable {
        /// Signed by the configured key at this index of the unit's `publicKey` list.
        case valid(keyIndex: Int)
        /// No signature in the form of SPEC 8.4.
        case missing
        /// Signed, but by a key that is not configured for the unit.
        case wrongKey
        /// By a configured key, but the signature does not match the manifest's bytes.
        case badSignature

        /// Why the submission is rejected (Chinese, then English), for 说明 and `verify`.
        public func reason(unit: String) -> String {
            switch self {
            case .valid(let i):
                "签名有效（\(unit)配置的第\(i + 1)个公钥） signature valid (key \(i + 1) configured for \(unit))"
            case .missing:
                "清单未签名或签名格式不符，而\(unit)配置了公钥 signature missing: the manifest is not signed in the form of SPEC 8.4, and \(unit) has a publicKey configured"
            case .wrongKey:
                "签名所用密钥不是\(unit)配置的公钥 wrong key: the manifest is signed by a key not configured for \(unit)"
            case .badSignature:
                "签名无效：清单在签名后被改动 bad signature: the manifest was changed after it was signed"
            }
        }
    }

    /// Checks the signature of `manifest` against `publicKeys` (base64; either of two verifies
    /// while a key is being replaced).
    public static func verify(manifest: [UInt8], publicKeys: [String]) -> Verdict {
        guard let found = find(in: manifest) else { return .missing }
        guard let stated = UnitKey.decodePublicKey(found.key),
              let index = publicKeys.firstIndex(where: { UnitKey.decodePublicKey($0) == stated }) else {
            return .wrongKey
        }
        guard let signature = Data(base64Encoded: found.value),
              UnitKey.isValidSignature([UInt8](signature), of: found.signedBytes, by: stated) else {
            return .badSignature
        }
        return .valid(keyIndex: index)
    }

    /// The check a parent makes before anything else of a child's submission (SPEC 8.4): nil when
    /// `sender` has no key configured (read as before) or signed validly; else `FILE_SIGNATURE`.
    public static func rejection(manifest: [UInt8], sender: String, config: PipelineConfig?,
                                 isChild: (String) -> Bool) -> FileRejection? {
        guard isChild(sender), let keys = config?.unit(sender)?.publicKeys, !keys.isEmpty else { return nil }
        let verdict = verify(manifest: manifest, publicKeys: keys)
        if case .valid = verdict { return nil }
        return FileRejection(.fileSignature, verdict.reason(unit: sender))
    }

    private static func isBase64(_ b: UInt8) -> Bool {
        (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39) || b == 0x2B || b == 0x2F || b == 0x3D
    }

    private static func lastIndex(of needle: [UInt8], in hay: [UInt8]) -> Int? {
        guard hay.count >= needle.count else { return nil }
        var i = hay.count - needle.count
        while i >= 0 {
            if hay[i] == needle[0] && hay[i..<(i + needle.count)].elementsEqual(needle) { return i }
            i -= 1
        }
        return nil
    }

    private static func firstIndex(of needle: [UInt8], in hay: ArraySlice<UInt8>) -> Int? {
        guard hay.count >= needle.count else { return nil }
        var i = hay.startIndex
        while i + needle.count <= hay.endIndex {
            if hay[i] == needle[0] && hay[i..<(i + needle.count)].elementsEqual(needle) { return i }
            i += 1
        }
        return nil
    }
}
