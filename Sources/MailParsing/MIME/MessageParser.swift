/// A streaming RFC 5322 + MIME parser. It takes a message exactly as libmilter delivers it —
/// header fields one by one, then body chunks split anywhere — and reports what it finds to a
/// `MessageSink` as it goes, in bounded memory. Chunking never changes the result.
public struct MessageParser<Sink: MessageSink> {
    public var sink: Sink
    public let limits: ParserLimits
    public private(set) var structure = MessageStructure()

    /// A multipart whose parts are being read.
    private struct Container {
        let boundary: [UInt8]
        let depth: Int
        var inPart = false
    }

    private enum Mode {
        /// Reading an entity's header lines (a part, or an attached message).
        case headers(HeaderBlockReader, depth: Int)
        /// Reading body bytes: into a leaf, or discarded (preamble, epilogue, skipped parts).
        case body
    }

    private var rootHeaders = EntityHeaders()
    private var containers: [Container] = [] {
        didSet {
            var longest = 0
            for container in containers where container.boundary.count > longest { longest = container.boundary.count }
            probeLength = longest + 4
        }
    }
    /// Bytes of a line start needed to tell whether it is a boundary of an open multipart.
    private var probeLength = 4
    private var mode = Mode.body
    private var leaf: LeafProcessor?
    private var leafCount = 0
    private var started = false
    private var finished = false

    // Line state, used only while a multipart is open (boundaries start lines).
    private var atLineStart = true
    private var probe: [UInt8] = []
    private var heldNewline: [UInt8] = []
    private var heldCarriageReturn = false
    private static var carriageReturn: [UInt8] { [13] }
    private var skippingBoundaryLine = false
    private var headerLine: [UInt8] = []
    private var headerLineOverflow = false

    public init(sink: Sink, limits: ParserLimits = ParserLimits()) {
        self.sink = sink
        self.limits = limits
    }

    /// A top-level header field, as the milter header callback gives it.
    public mutating func header(name: String, value: String) {
        let field = HeaderField(name: name, value: value)
        rootHeaders.take(field)
        sink.header(field, depth: 0)
    }

    /// The top-level header section is complete.
    public mutating func endOfHeaders() {
        guard !started else { return }
        started = true
        beginEntity(rootHeaders, depth: 0)
    }

    /// Body bytes, in any chunking.
    public mutating func body(_ chunk: UnsafeRawBufferPointer) {
        if !started { endOfHeaders() }
        guard !finished, !chunk.isEmpty else { return }
        structure.bodyBytes += chunk.count
        structure.nulBytes += Self.countNULs(chunk)
        var rest = chunk[...]
        while rest.startIndex < rest.endIndex {
            if containers.isEmpty, case .body = mode {
                // No boundary can end this entity: everything is content.
                emitContent(UnsafeRawBufferPointer(rebasing: rest))
                return
            }
            rest = step(rest)
        }
    }

    public mutating func body(_ chunk: [UInt8]) {
        chunk.withUnsafeBytes { body($0) }
    }

    /// NUL bytes in `bytes`, 32 at a time: a word with no zero byte (nearly every one) sets
    /// no top bit in `(w - 0x01…) & ~w`, so one test covers four words.
    static func countNULs(_ bytes: UnsafeRawBufferPointer) -> Int {
        func zeroMarks(_ word: UInt64) -> UInt64 { (word &- 0x0101_0101_0101_0101) & ~word }
        var count = 0
        var index = 0
        while index + 32 <= bytes.count {
            let marks = zeroMarks(bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self))
                | zeroMarks(bytes.loadUnaligned(fromByteOffset: index + 8, as: UInt64.self))
                | zeroMarks(bytes.loadUnaligned(fromByteOffset: index + 16, as: UInt64.self))
                | zeroMarks(bytes.loadUnaligned(fromByteOffset: index + 24, as: UInt64.self))
            if marks & 0x8080_8080_8080_8080 != 0 {
                for offset in index..<(index + 32) where bytes[offset] == 0 { count += 1 }
            }
            index += 32
        }
        while index + 8 <= bytes.count {
            if zeroMarks(bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self)) & 0x8080_8080_8080_8080 != 0 {
                for offset in index..<(index + 8) where bytes[offset] == 0 { count += 1 }
            }
            index += 8
        }
        for offset in index..<bytes.count where bytes[offset] == 0 { count += 1 }
        return count
    }

    /// End of message: flushes the open part and closes every open multipart.
    public mutating func finish() {
        if !started { endOfHeaders() }
        guard !finished else { return }
        if case .headers(var reader, let depth) = mode {
            if !headerLine.isEmpty {
                reader.addLine(headerLine[...])
                mode = .headers(reader, depth: depth)
            }
            endHeaderBlock()
        } else {
            // The last line's end and an undecided line start are content: no boundary follows.
            let pending = heldNewline + (heldCarriageReturn ? Self.carriageReturn : []) + probe
            heldCarriageReturn = false
            heldNewline = []
            probe = []
            pending.withUnsafeBytes { emitContent($0) }
        }
        finishLeaf()
        structure.unterminatedMultiparts += containers.count
        containers.removeAll()
        finished = true
    }

    // MARK: Line handling while multiparts are open

    /// Consumes a prefix of `bytes` and returns the rest.
    private mutating func step(_ bytes: UnsafeRawBufferPointer.SubSequence) -> UnsafeRawBufferPointer.SubSequence {
        // The rest of a boundary line (transport padding) belongs to nothing.
        if skippingBoundaryLine {
            guard let newline = bytes.firstIndex(of: 10) else { return bytes[bytes.endIndex...] }
            skippingBoundaryLine = false
            atLineStart = true
            return bytes[(newline + 1)...]
        }
        if case .headers = mode { return readHeaderLine(bytes) }
        if atLineStart { return probeLine(bytes) }
        // Mid-line: content up to the line end; the line end waits, as it may precede a boundary.
        var bytes = bytes
        if heldCarriageReturn {
            heldCarriageReturn = false
            if bytes.first == 10 {
                heldNewline = [13, 10]
                atLineStart = true
                return bytes.dropFirst()
            }
            Self.carriageReturn.withUnsafeBytes { emitContent($0) }
        }
        // Content runs to the first line end a boundary could follow: one before "-", or the
        // chunk's last byte. Lines in between are content whole, so they go out in one piece.
        var lineEnd: Int?
        var search = bytes.startIndex
        while let found = UnsafeRawBufferPointer(rebasing: bytes[search...]).firstIndex(of: 10, from: 0).map({ $0 + search }) {
            if found + 1 == bytes.endIndex || bytes[found + 1] == 45 {
                lineEnd = found
                break
            }
            search = found + 1
        }
        guard let newline = lineEnd else {
            // A CR at the end of the chunk may be half of the line end.
            if bytes.last == 13 {
                heldCarriageReturn = true
                bytes = bytes.dropLast()
            }
            emitContent(UnsafeRawBufferPointer(rebasing: bytes))
            return bytes[bytes.endIndex...]
        }
        var contentEnd = newline
        if contentEnd > bytes.startIndex, bytes[contentEnd - 1] == 13 { contentEnd -= 1 }
        emitContent(UnsafeRawBufferPointer(rebasing: bytes[bytes.startIndex..<contentEnd]))
        heldNewline = Array(bytes[contentEnd...newline])
        atLineStart = true
        return bytes[(newline + 1)...]
    }

    /// Collects the start of a line until it can tell whether the line is a boundary.
    private mutating func probeLine(_ bytes: UnsafeRawBufferPointer.SubSequence) -> UnsafeRawBufferPointer.SubSequence {
        // A line that does not start with "-" is no boundary: skip the probe, it is content.
        if probe.isEmpty, let first = bytes.first, first != 45 {
            let pending = heldNewline
            heldNewline = []
            pending.withUnsafeBytes { emitContent($0) }
            atLineStart = false
            return bytes
        }
        let wanted = probeLength
        let room = min(wanted - probe.count, bytes.count)
        let window = bytes[bytes.startIndex..<(bytes.startIndex + room)]
        let taken = window.firstIndex(of: 10).map { $0 + 1 } ?? window.endIndex
        probe.append(contentsOf: bytes[bytes.startIndex..<taken])
        let index = taken
        let lineEnded = probe.last == 10
        guard lineEnded || probe.count >= wanted else { return bytes[index...] }
        if let (level, closing) = matchBoundary() {
            heldNewline = []
            probe = []
            atLineStart = lineEnded
            skippingBoundaryLine = !lineEnded
            boundary(level: level, closing: closing)
            return bytes[index...]
        }
        let line = probe
        probe = []
        let pending = heldNewline
        heldNewline = []
        pending.withUnsafeBytes { emitContent($0) }
        if lineEnded {
            var contentEnd = line.count - 1
            if contentEnd > 0, line[contentEnd - 1] == 13 { contentEnd -= 1 }
            line[0..<contentEnd].withUnsafeBytes { emitContent($0) }
            heldNewline = Array(line[contentEnd...])
            atLineStart = true
        } else {
            line.withUnsafeBytes { emitContent($0) }
            atLineStart = false
        }
        return bytes[index...]
    }

    /// The innermost-first container whose boundary starts the probed line.
    private func matchBoundary() -> (Int, Bool)? {
        guard probe.count >= 2, probe[0] == 45, probe[1] == 45 else { return nil }
        for level in containers.indices.reversed() {
            let boundary = containers[level].boundary
            guard probe.count >= 2 + boundary.count, probe[2..<(2 + boundary.count)].elementsEqual(boundary) else { continue }
            let after = probe[(2 + boundary.count)...]
            let closing = after.count >= 2 && after[after.startIndex] == 45 && after[after.startIndex + 1] == 45
            // Anything but "--", whitespace or the line end means a longer, different boundary.
            if closing || after.isEmpty || after.first == 13 || after.first == 10 || after.first == 32 || after.first == 9 {
                return (level, closing)
            }
        }
        return nil
    }

    private mutating func boundary(level: Int, closing: Bool) {
        if case .headers = mode { endHeaderBlock() }
        finishLeaf()
        let inner = containers.count - 1 - level
        structure.unterminatedMultiparts += inner
        containers.removeLast(inner)
        mode = .body
        if closing {
            containers.removeLast()
            return
        }
        containers[level].inPart = true
        guard structure.leafParts + structure.containerParts < limits.maxParts else {
            structure.limitsHit.insert(.parts)
            containers[level].inPart = false
            return
        }
        mode = .headers(HeaderBlockReader(limit: limits.maxHeaderBytes), depth: containers[level].depth + 1)
    }

    // MARK: Entity headers

    private mutating func readHeaderLine(_ bytes: UnsafeRawBufferPointer.SubSequence) -> UnsafeRawBufferPointer.SubSequence {
        guard case .headers(var reader, let depth) = mode else { return bytes }
        let newline = bytes.firstIndex(of: 10)
        let end = newline ?? bytes.endIndex
        if !headerLineOverflow {
            if headerLine.count + (end - bytes.startIndex) <= limits.maxHeaderBytes {
                headerLine.append(contentsOf: bytes[bytes.startIndex..<end])
            } else {
                // A line longer than a whole header section is dropped, not buffered.
                headerLineOverflow = true
                headerLine.removeAll()
            }
        }
        guard let newline else { return bytes[bytes.endIndex...] }
        if headerLineOverflow {
            headerLineOverflow = false
            structure.limitsHit.insert(.headerBytes)
            return bytes[(newline + 1)...]
        }
        if headerLine.last == 13 { headerLine.removeLast() }
        let line = headerLine
        headerLine.removeAll(keepingCapacity: true)
        // A boundary where headers were expected: the part has no body.
        if !containers.isEmpty, line.count >= 2, line[0] == 45, line[1] == 45 {
            probe = line + [10]
            if let (level, closing) = matchBoundary() {
                probe = []
                boundary(level: level, closing: closing)
                atLineStart = true
                return bytes[(newline + 1)...]
            }
            probe = []
        }
        if line.isEmpty {
            mode = .headers(reader, depth: depth)
            endHeaderBlock()
            atLineStart = true
            return bytes[(newline + 1)...]
        }
        reader.addLine(line[...])
        mode = .headers(reader, depth: depth)
        return bytes[(newline + 1)...]
    }

    private mutating func endHeaderBlock() {
        guard case .headers(var reader, let depth) = mode else { return }
        let fields = reader.finish()
        structure.malformedHeaderLines += reader.malformedLines
        if reader.overLimit { structure.limitsHit.insert(.headerBytes) }
        var headers = EntityHeaders()
        for field in fields { headers.take(field) }
        mode = .body
        // An attached message's own headers describe a message: tell the sink.
        if depth > 0, attachedMessageDepths.last == depth {
            attachedMessageDepths.removeLast()
            for field in fields { sink.header(field, depth: depth) }
        }
        beginEntity(headers, depth: depth)
    }

    /// Depths at which the next header block is an attached message's header section.
    private var attachedMessageDepths: [Int] = []

    private mutating func beginEntity(_ headers: EntityHeaders, depth: Int) {
        structure.deepestNesting = max(structure.deepestNesting, depth)
        let tooDeep = depth >= limits.maxDepth
        if tooDeep { structure.limitsHit.insert(.depth) }
        if headers.isMultipart, !tooDeep {
            structure.containerParts += 1
            guard let boundary = headers.contentType["boundary"], !boundary.isEmpty else {
                structure.multipartsWithoutBoundary += 1
                startLeaf(headers, depth: depth, forceText: true)
                return
            }
            var bytes = Array(boundary.utf8)
            if bytes.count > limits.maxBoundaryBytes {
                structure.limitsHit.insert(.boundaryLength)
                bytes = Array(bytes.prefix(limits.maxBoundaryBytes))
            }
            containers.append(Container(boundary: bytes, depth: depth))
            atLineStart = true
            return
        }
        if headers.isAttachedMessage, !tooDeep {
            structure.containerParts += 1
            attachedMessageDepths.append(depth + 1)
            mode = .headers(HeaderBlockReader(limit: limits.maxHeaderBytes), depth: depth + 1)
            atLineStart = true
            return
        }
        startLeaf(headers, depth: depth, forceText: false)
    }

    private mutating func startLeaf(_ headers: EntityHeaders, depth: Int, forceText: Bool) {
        var summary = headers.summary(index: leafCount, depth: depth)
        if forceText {
            summary.contentType = "text/plain"
            summary.isAttachment = false
        }
        leafCount += 1
        structure.leafParts += 1
        leaf = LeafProcessor(summary: summary, limits: limits)
    }

    // MARK: Content

    private mutating func emitContent(_ bytes: UnsafeRawBufferPointer) {
        guard !bytes.isEmpty, leaf != nil else { return }
        leaf!.feed(bytes)
        drainText()
    }

    /// Reads the leaf in place, not through a copy of it (1 KB, and a retain and release of
    /// each buffer it holds) for every chunk of text.
    private mutating func drainText() {
        guard leaf != nil, !leaf!.text.isEmpty else { return }
        let room = limits.maxTextBytes - structure.textBytes
        let available = leaf!.text.count
        if room > 0 {
            let count = min(room, available)
            let (part, isHTML) = (leaf!.summary.index, leaf!.summary.isHTML)
            leaf!.text[0..<count].withUnsafeBytes { sink.visibleText($0, part: part, isHTML: isHTML) }
            structure.textBytes += count
        }
        if available > room { structure.limitsHit.insert(.textBytes) }
        leaf!.text.removeAll(keepingCapacity: true)
    }

    private mutating func finishLeaf() {
        guard leaf != nil else { return }
        let (summary, links) = leaf!.finish()
        drainText()
        if summary.truncated { structure.limitsHit.insert(.decodedBytes) }
        if let stats = leaf!.htmlStats {
            structure.html.add(stats)
            structure.htmlParts += 1
        } else if !summary.isAttachment {
            structure.plainTextParts += 1
        }
        leaf = nil
        for link in links {
            guard structure.links < limits.maxLinks else {
                structure.limitsHit.insert(.links)
                break
            }
            structure.links += 1
            sink.link(link, part: summary.index)
        }
        sink.partFinished(summary)
    }
}

extension MessageParser: Sendable where Sink: Sendable {}
