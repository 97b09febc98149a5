#if canImport(Glibc)
import Glibc
#endif
import Crypto
import Foundation

/// A unit's Ed25519 signing key (SPEC 8.4): the 32-byte private seed, kept by the unit alone in
/// `U.key` (base64, one line, 0600), and its 32-byte public key, given to the parent for
/// `pipeline.json` (`U.pub`). The private seed never leaves this type except into the key file
/// `write(unit:to:)` creates: `description` shows the public key only.
public struct UnitKey: Sendable, CustomStringConvertible {
    /// The 32-byte seed (swift-crypto's key type is not Sendable; the key is rebuilt to sign).
    private let seed: [UInt8]
    /// The 32-byte public key.
    public let publicKey: [UInt8]

    /// A fresh key pair from the system's random source.
    public static func generate() -> UnitKey { UnitKey(Curve25519.Signing.PrivateKey()) }

    /// The key whose 32-byte seed is `seed` (RFC 8032's "secret key").
    public init(seed: [UInt8]) throws(UnitKeyError) {
        guard seed.count == 32, let k = try? Curve25519.Signing.PrivateKey(rawRepresentation: seed) else {
            throw UnitKeyError("私钥须为32字节 a private key must be a 32-byte Ed25519 seed")
        }
        self.init(k)
    }

    private init(_ key: Curve25519.Signing.PrivateKey) {
        seed = [UInt8](key.rawRepresentation)
        publicKey = [UInt8](key.publicKey.rawRepresentation)
    }

    private var privateKey: Curve25519.Signing.PrivateKey {
        guard let k = try? Curve25519.Signing.PrivateKey(rawRepresentation: seed) else {
            preconditionFailure("a 32-byte seed checked at init is no longer a key")
        }
        return k
    }
    /// The public key as written in `U.pub`, `pipeline.json` and a manifest's `signature.key`.
    public var publicKeyBase64: String { Data(publicKey).base64EncodedString() }

    /// Ed25519 signature (64 bytes) of `message`. Ed25519 is deterministic (RFC 8032 5.1.6), so
    /// the same manifest signed twice gives the same bytes.
    public func sign(_ message: [UInt8]) -> [UInt8] {
        // swift-crypto signs deterministically with BoringSSL's ED25519_sign; it only throws on
        // an internal failure, which would be a broken build, not bad input.
        guard let s = try? privateKey.signature(for: message) else {
            preconditionFailure("Ed25519 signing failed inside swift-crypto")
        }
        return [UInt8](s)
    }

    public var description: String { "UnitKey(public \(publicKeyBase64))" }

    // MARK: - Public keys

    /// The 32 bytes of a base64 public key, or nil when it is not one.
    public static func decodePublicKey(_ base64: String) -> [UInt8]? {
        guard let d = Data(base64Encoded: base64.trimmingCharacters(in: .whitespaces)), d.count == 32,
              (try? Curve25519.Signing.PublicKey(rawRepresentation: d)) != nil else { return nil }
        return [UInt8](d)
    }

    /// Whether `signature` is a valid Ed25519 signature of `message` by `publicKey` (32 bytes).
    public static func isValidSignature(_ signature: [UInt8], of message: [UInt8], by publicKey: [UInt8]) -> Bool {
        guard signature.count == 64, let key = try? Curve25519.Signing.PublicKey(rawRepresentation: publicKey) else {
            return false
        }
        return key.isValidSignature(signature, for: message)
    }

    // MARK: - Key files

    /// Reads a private key file: refused when it is not a regular file, when its mode gives the
    /// group or others any access (SPEC 8.4), or when it does not hold one base64 32-byte seed.
    public static func load(path: String) throws(UnitKeyError) -> UnitKey {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else {
            throw UnitKeyError("无法读取私钥文件 cannot read the private key file \(path): \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else {
            throw UnitKeyError("私钥文件不是普通文件 the private key file is not a regular file: \(path)")
        }
        let permissions = st.st_mode & 0o777
        guard permissions & 0o077 == 0 else {
            throw UnitKeyError("私钥文件权限过宽（\(String(permissions, radix: 8))），同组或其他用户可访问；请执行 chmod 600 \(path) 并考虑更换密钥 "
                + "the private key file \(path) has mode \(String(permissions, radix: 8)): its group or others have access; run chmod 600 and consider replacing the key")
        }
        guard st.st_size <= 4096 else { throw UnitKeyError("私钥文件过大 the private key file is too large: \(path)") }
        var bytes = [UInt8](repeating: 0, count: Int(st.st_size) + 1)
        var count = 0
        while count < bytes.count {
            let n = bytes.withUnsafeMutableBytes { read(fd, $0.baseAddress! + count, $0.count - count) }
            if n < 0 && errno == EINTR { continue }
            guard n >= 0 else { throw UnitKeyError("无法读取私钥文件 cannot read the private key file \(path)") }
            if n == 0 { break }
            count += n
        }
        let text = String(decoding: bytes[0..<count], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.contains("\n"), let seed = Data(base64Encoded: text), seed.count == 32 else {
            throw UnitKeyError("私钥文件须为一行base64编码的32字节私钥 the private key file \(path) must hold one line: a base64 32-byte Ed25519 seed (from aggregate keys new)")
        }
        return try UnitKey(seed: [UInt8](seed))
    }

    /// Where a run finds its unit's private key (SPEC 8.4), in this order: `--key FILE`, then
    /// `keys/{unit}.key` beside the configuration, then `HUIZONG_KEY_FILE`. A key named
    /// explicitly (`--key`, the environment) must exist; the file beside the configuration is
    /// used when present. nil: the run does not sign.
    public static func locate(explicit: String?, configPath: String?, unit: String,
                              environment: [String: String]) -> String? {
        if let explicit { return explicit }
        if let configPath {
            let dir = (configPath as NSString).deletingLastPathComponent
            let candidate = (dir.isEmpty ? "." : dir) + "/keys/\(unit).key"
            var st = stat()
            if lstat(candidate, &st) == 0 { return candidate }
        }
        if let env = environment["HUIZONG_KEY_FILE"], !env.isEmpty { return env }
        return nil
    }

    /// Writes `dir/{unit}.key` (the seed, base64, one line, 0600) and `dir/{unit}.pub` (the public
    /// key, base64, one line). `dir` is created 0700 when missing. An existing key file is never
    /// replaced unless `replace` is set (a lost private key cannot be recovered). Each file is
    /// written under a temporary name, flushed, then linked (or, with `replace`, renamed) into place.
    public func write(unit: String, to dir: String, replace: Bool = false) throws(UnitKeyError) {
        var st = stat()
        if stat(dir, &st) == 0 && (st.st_mode & S_IFMT) != S_IFDIR {
            throw UnitKeyError("--out 不是目录 is not a directory: \(dir)")
        }
        // Each missing folder on the way is created 0700 (SPEC 7), whatever the umask.
        do { try FileSystem.makeDirectories(dir) } catch { throw UnitKeyError(error.description) }
        let keyPath = dir + "/\(unit).key", pubPath = dir + "/\(unit).pub"
        if !replace {
            for p in [keyPath, pubPath] where lstat(p, &st) == 0 {
                throw UnitKeyError("\(p) 已存在，不覆盖（私钥丢失无法恢复）；换一个目录或加 --force already exists and is not replaced (a lost private key cannot be recovered); use another directory or --force")
            }
        }
        try Self.writeLine(Data(seed).base64EncodedString(), to: keyPath, replace: replace)
        try Self.writeLine(publicKeyBase64, to: pubPath, replace: replace)
    }

    private static func writeLine(_ line: String, to path: String, replace: Bool) throws(UnitKeyError) {
        let tmp = path + ".tmp-\(getpid())"
        unlink(tmp)
        let fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw UnitKeyError("无法创建 cannot create \(tmp): \(String(cString: strerror(errno)))") }
        fchmod(fd, 0o600)
        let bytes = Array((line + "\n").utf8)
        let ok = bytes.withUnsafeBytes { OutputFile.writeAll(fd, $0) } && fsync(fd) == 0
        close(fd)
        guard ok else {
            unlink(tmp)
            throw UnitKeyError("写入失败 write failed \(path)")
        }
        let placed = replace ? rename(tmp, path) == 0 : link(tmp, path) == 0
        let why = String(cString: strerror(errno))
        unlink(tmp)
        guard placed else { throw UnitKeyError("无法写入 cannot write \(path): \(why)") }
    }
}

/// A key file that cannot be used or written (exit 1). Never carries key material.
public struct UnitKeyError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
