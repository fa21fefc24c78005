/// Lays a `ModelDocument` out as the compact file's payload. Everything keyed by name is
/// written in sorted order, so one document always gives the same bytes.
struct CompactModelWriter {
    var bytes = ByteWriter()

    enum Kind: UInt8 { case linear = 1, trees = 2, stacked = 3 }

    mutating func write(_ document: ModelDocument) throws(ModelValidationError) {
        bytes.append(document.format)
        bytes.append(UInt32(clamping: document.formatVersion))
        bytes.append(document.id)
        bytes.append(document.created)
        bytes.append(document.featureSchema)
        bytes.append(document.trainingData)
        bytes.append(document.thresholds.quarantine)
        bytes.append(document.thresholds.accept)
        bytes.append(document.thresholds.fullQuarantine != nil)
        bytes.append(document.thresholds.fullQuarantine ?? 0)
        try write(document.inline)
        bytes.append(document.full != nil)
        if let full = document.full { try write(full) }
    }

    private mutating func write(_ model: SubModelDocument) throws(ModelValidationError) {
        switch model {
        case .linear(let linear):
            bytes.append(Kind.linear.rawValue)
            try write(linear)
        case .trees(let trees):
            bytes.append(Kind.trees.rawValue)
            try write(trees)
        case .stacked(let stacked):
            bytes.append(Kind.stacked.rawValue)
            try write(stacked.text)
            try write(stacked.trees)
        }
    }

    static func scalingCode(_ scaling: LinearModelDocument.NGramScaling?) -> UInt8 {
        switch scaling {
        case nil: 0
        case .presence: 1
        case .logCount: 2
        }
    }

    private mutating func write(_ linear: LinearModelDocument) throws(ModelValidationError) {
        bytes.append(linear.bias)
        bytes.append(Self.scalingCode(linear.ngramScaling))
        writeNamed(linear.weights)
        for table in [linear.means, linear.scales] {
            bytes.append(table != nil)
            if let table { writeNamed(table) }
        }
        bytes.append(linear.ngramWeights != nil)
        guard let ngrams = linear.ngramWeights else { return }
        var entries: [(bucket: Int32, weight: Double)] = []
        entries.reserveCapacity(ngrams.count)
        for (key, weight) in ngrams {
            guard let bucket = Int32(key), bucket >= 0 else { throw ModelValidationError("n-gram bucket '\(key)' is not a bucket number") }
            entries.append((bucket, weight))
        }
        entries.sort { $0.bucket < $1.bucket }
        bytes.append(UInt32(entries.count))
        bytes.alignTo8()
        for entry in entries { bytes.append(entry.weight) }
        for entry in entries { bytes.append(entry.bucket) }
    }

    private mutating func writeNamed(_ table: [String: Double]) {
        bytes.append(UInt32(table.count))
        for (name, value) in table.sorted(by: { $0.key < $1.key }) {
            bytes.append(name)
            bytes.append(value)
        }
    }

    private mutating func write(_ ensemble: TreeEnsembleDocument) throws(ModelValidationError) {
        bytes.append(ensemble.baseScore)
        let names = Set(ensemble.trees.flatMap(\.feature)).subtracting([""]).sorted()
        let index = Dictionary(uniqueKeysWithValues: names.enumerated().map { ($0.element, Int32($0.offset)) })
        bytes.append(UInt32(names.count))
        for name in names { bytes.append(name) }
        bytes.append(UInt32(ensemble.trees.count))
        for tree in ensemble.trees {
            let count = tree.feature.count
            guard tree.threshold.count == count, tree.left.count == count, tree.right.count == count, tree.value.count == count else {
                throw ModelValidationError("a tree's node arrays differ in length")
            }
            bytes.append(UInt32(count))
            bytes.alignTo8()
            for threshold in tree.threshold { bytes.append(threshold) }
            for value in tree.value { bytes.append(value) }
            for feature in tree.feature { bytes.append(feature.isEmpty ? -1 : index[feature]!) }
            for child in tree.left + tree.right {
                guard let index = Int32(exactly: child) else { throw ModelValidationError("a tree's child index \(child) does not fit the compact layout") }
                bytes.append(index)
            }
        }
    }
}
