extension String {
    /// Appends `text`, each Unicode scalar for which `replacement` gives an escape written as
    /// that escape and every other scalar as it is: the one loop of the HTML and JSON escapers
    /// (HTMLText, JSONValue.quote), which differ only in their tables.
    @inline(__always)
    mutating func appendEscaping(_ text: String, _ replacement: (Unicode.Scalar) -> String?) {
        for u in text.unicodeScalars {
            if let r = replacement(u) { self += r } else { unicodeScalars.append(u) }
        }
    }
}
