/// Aho–Corasick over normalised text bytes: every phrase of every group is found in one pass,
/// whatever the chunking, with a full transition table for speed. The table is indexed by a
/// 38-symbol alphabet (space, a–z, 0–9, any other word byte) rather than 256 bytes, so it
/// stays small enough for the CPU caches.
public struct PhraseMatcher: Sendable {
    public static let symbolCount = 38

    /// The symbol of a normalised byte (see `TextNormaliser`).
    public static func symbol(_ byte: UInt8) -> Int {
        switch byte {
        case 97...122: Int(byte) - 96
        case 48...57: Int(byte) - 48 + 27
        case 128...255: 37
        default: 0
        }
    }

    /// A state is the offset of its row, `state number × symbolCount`, so that stepping is one
    /// load: `transitions[state + symbol]` is the next state. States are numbered so that those
    /// where patterns end come last, from `firstMatching` on: one comparison says whether any did.
    private let transitions: [Int32]
    private let firstMatching: Int32
    /// Pattern ids ending at each state number (including through failure links), flattened:
    /// state number `n` owns `outputPatterns[outputStart[n]..<outputStart[n + 1]]`.
    private let outputStart: [Int32]
    private let outputPatterns: [Int32]
    /// Group of each pattern id.
    public let patternGroups: [Int]
    public let patternCount: Int

    /// `phrases[g]` are the phrases of group `g`; they are normalised like the text.
    public init(groups phrases: [[String]]) {
        let width = Self.symbolCount
        var goto: [[Int32]] = [[Int32](repeating: -1, count: width)]
        var outputs: [[Int32]] = [[]]
        var patternGroups: [Int] = []
        for (group, list) in phrases.enumerated() {
            for phrase in list {
                let bytes = TextNormaliser.normalisedPhrase(phrase)
                guard !bytes.isEmpty else { continue }
                var state = 0
                for byte in bytes {
                    let symbol = Self.symbol(byte)
                    if goto[state][symbol] < 0 {
                        goto[state][symbol] = Int32(goto.count)
                        goto.append([Int32](repeating: -1, count: width))
                        outputs.append([])
                    }
                    state = Int(goto[state][symbol])
                }
                outputs[state].append(Int32(patternGroups.count))
                patternGroups.append(group)
            }
        }
        // Breadth-first failure links, folded into a complete transition table.
        var table = [Int32](repeating: 0, count: goto.count * width)
        var failure = [Int](repeating: 0, count: goto.count)
        var queue: [Int] = []
        for symbol in 0..<width {
            let next = goto[0][symbol]
            if next > 0 {
                table[symbol] = next
                queue.append(Int(next))
            }
        }
        var head = 0
        while head < queue.count {
            let state = queue[head]
            head += 1
            outputs[state] += outputs[failure[state]]
            for symbol in 0..<width {
                let next = goto[state][symbol]
                if next > 0 {
                    failure[Int(next)] = Int(table[failure[state] * width + symbol])
                    table[state * width + symbol] = next
                    queue.append(Int(next))
                } else {
                    table[state * width + symbol] = table[failure[state] * width + symbol]
                }
            }
        }
        // Renumber: states without patterns first (the root stays 0), then those with.
        let order = goto.indices.filter { outputs[$0].isEmpty } + goto.indices.filter { !outputs[$0].isEmpty }
        var number = [Int32](repeating: 0, count: goto.count)
        for (new, old) in order.enumerated() { number[old] = Int32(new) }
        var transitions = [Int32](repeating: 0, count: table.count)
        for (new, old) in order.enumerated() {
            for symbol in 0..<width {
                transitions[new * width + symbol] = number[Int(table[old * width + symbol])] * Int32(width)
            }
        }
        self.transitions = transitions
        self.firstMatching = Int32(order.count - order.filter { !outputs[$0].isEmpty }.count) * Int32(width)
        var starts: [Int32] = [0]
        var flat: [Int32] = []
        for old in order {
            flat += outputs[old]
            starts.append(Int32(flat.count))
        }
        self.outputStart = starts
        self.outputPatterns = flat
        self.patternGroups = patternGroups
        self.patternCount = patternGroups.count
    }

    /// Advances from `state` over one normalised byte; calls `matched` with each pattern id
    /// ending here.
    @inline(__always)
    public func step(_ state: inout Int32, _ byte: UInt8, _ matched: (Int32) -> Void) {
        state = transitions[Int(state) + Self.symbol(byte)]
        if state >= firstMatching { patterns(at: state, matched) }
    }

    /// Calls `matched` with each pattern id ending at `state`.
    @inline(__always)
    func patterns(at state: Int32, _ matched: (Int32) -> Void) {
        let number = Int(state) / Self.symbolCount
        for index in Int(outputStart[number])..<Int(outputStart[number + 1]) { matched(outputPatterns[index]) }
    }

    /// The transitions as a raw buffer for a hot loop (`transitions[state + symbol]`), and the
    /// first state where patterns end.
    func withTransitions<R>(_ body: (UnsafeBufferPointer<Int32>, Int32) -> R) -> R {
        transitions.withUnsafeBufferPointer { body($0, firstMatching) }
    }
}
