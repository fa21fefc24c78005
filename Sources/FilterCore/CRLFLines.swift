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

    /// `source` with every bare LF made CRLF, in a new array of exactly the size needed: lines
    /// are counted first, then each run between line feeds is copied whole.
    static func converted(_ source: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        var bare = 0
        var start = 0
        while let newline = source.firstIndex(of: UInt8(ascii: "\n"), from: start) {
            if newline == 0 || source[newline - 1] != UInt8(ascii: "\r") { bare += 1 }
            start = newline + 1
        }
        guard bare > 0 else { return Array(source) }
        return [UInt8](unsafeUninitializedCapacity: source.count + bare) { out, written in
            var start = 0
            written = 0
            while let newline = source.firstIndex(of: UInt8(ascii: "\n"), from: start) {
                let run = UnsafeBufferPointer(rebasing: source[start..<newline])
                _ = UnsafeMutableBufferPointer(rebasing: out[written...]).initialize(fromContentsOf: run)
                written += run.count
                if newline == 0 || source[newline - 1] != UInt8(ascii: "\r") {
                    out.initializeElement(at: written, to: UInt8(ascii: "\r"))
                    written += 1
                }
                out.initializeElement(at: written, to: UInt8(ascii: "\n"))
                written += 1
                start = newline + 1
            }
            let rest = UnsafeBufferPointer(rebasing: source[start...])
            _ = UnsafeMutableBufferPointer(rebasing: out[written...]).initialize(fromContentsOf: rest)
            written += rest.count
        }
    }
}
