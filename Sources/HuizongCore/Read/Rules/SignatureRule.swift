/// A child with a key signs its manifest — `FILE_SIGNATURE` (reject, whole file).
///
/// SPEC 8.4: "Above county: when a child has a `publicKey` configured, its submission is accepted
/// only if its manifest carries a valid signature by that key; otherwise the data file is rejected
/// whole with `FILE_SIGNATURE` (reject; 说明 says missing, wrong key or bad signature). The
/// signature is checked first".
/// 填写说明: none; the notice, 三（三）: "要切实提高保密意识，确保数据安全".
///
/// Checked by `SubmissionSignature` (see `docs/signatures.md`).
enum SignatureRule {
    static let fileSignature = RuleCode.Definition("FILE_SIGNATURE", .reject, .file, chinese: "清单签名缺失或无效，请用本单位密钥重新签名报送", english: "manifest signature missing or invalid; sign with the unit's key and send again")
}

extension RuleCode {
    /// The manifest's signature is missing, by another key, or does not match its bytes.
    public static let fileSignature = RuleCode(SignatureRule.fileSignature)
}
