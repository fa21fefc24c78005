/// Aho–Corasick over normalised text bytes: every phrase of every group is found in one pass,
/// whatever the chunking, with a full transition table for speed.
public struct PhraseMatcher: Sendable {
    /// `transitions[state * 256 + byte]` is the next state.
    private let transitions: [Int32]
    /// Pattern ids ending at each state (including through failure links), flattened:
    /// state `s` owns `outputPatterns[outputStart[s]..<outputStart[s + 1]]`.
    private let outputStart: [Int32]
    private let outputPatterns: [Int32]
    /// Group of each pattern id.
    public let patternGroups: [Int]
    public let patternCount: Int

    /// `phrases[g]` are the phrases of group `g`; they are normalised like the text.
    public init(groups phrases: [[String]]) {
        var goto: [[Int32]] = [[Int32](repeating: -1, count: 256)]
        var outputs: [[Int32]] = [[]]
        var patternGroups: [Int] = []
        for (group, list) in phrases.enumerated() {
            for phrase in list {
                let bytes = TextNormaliser.normalisedPhrase(phrase)
                guard !bytes.isEmpty else { continue }
                var state = 0
                for byte in bytes {
                    if goto[state][Int(byte)] < 0 {
                        goto[state][Int(byte)] = Int32(goto.count)
                        goto.append([Int32](repeating: -1, count: 256))
                        outputs.append([])
                    }
                    state = Int(goto[state][Int(byte)])
                }
                outputs[state].append(Int32(patternGroups.count))
                patternGroups.append(group)
            }
        }
        // Breadth-first failure links, folded into a complete transition table.
        var table = [Int32](repeating: 0, count: goto.count * 256)
        var failure = [Int](repeating: 0, count: goto.count)
        var queue: [Int] = []
        for byte in 0..<256 {
            let next = goto[0][byte]
            if next > 0 {
                table[byte] = next
                queue.append(Int(next))
            }
        }
        var head = 0
        while head < queue.count {
            let state = queue[head]
            head += 1
            outputs[state] += outputs[failure[state]]
            for byte in 0..<256 {
                let next = goto[state][byte]
                if next > 0 {
                    failure[Int(next)] = Int(table[failure[state] * 256 + byte])
                    table[state * 256 + byte] = next
                    queue.append(Int(next))
                } else {
                    table[state * 256 + byte] = table[failure[state] * 256 + byte]
                }
            }
        }
        self.transitions = table
        var starts: [Int32] = [0]
        var flat: [Int32] = []
        for list in outputs {
            flat += list
            starts.append(Int32(flat.count))
        }
        self.outputStart = starts
        self.outputPatterns = flat
        self.patternGroups = patternGroups
        self.patternCount = patternGroups.count
    }

    /// Advances from `state` over one byte; calls `matched` with each pattern id ending here.
    @inline(__always)
    public func step(_ state: inout Int32, _ byte: UInt8, _ matched: (Int32) -> Void) {
        state = transitions[Int(state) * 256 + Int(byte)]
        let start = Int(outputStart[Int(state)])
        let end = Int(outputStart[Int(state) + 1])
        if start < end { for index in start..<end { matched(outputPatterns[index]) } }
    }
}
