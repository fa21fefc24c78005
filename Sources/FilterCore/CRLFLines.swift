import MailParsing

/// Line ends as Postfix hands them to milters: every bare LF becomes CRLF.
enum CRLFLines {
    /// Appends `source` to `out`, copying the runs between line feeds whole: a byte-by-byte
    /// append costs more than the rest of reading a message.
    static func append(_ source: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        var start = 0
        while let newline = source.firstIndex(of: UInt8(ascii: "\n"), from: start) {
            out.append(contentsOf: source[start..<newline])
            if newline == 0 || source[newline - 1] != UInt8(ascii: "\r") { out.append(UInt8(ascii: "\r")) }
            out.append(UInt8(ascii: "\n"))
            start = newline + 1
        }
        out.append(contentsOf: source[start...])
    }
}
