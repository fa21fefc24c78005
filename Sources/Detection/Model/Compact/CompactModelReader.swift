/// Reads the compact file's payload back into a `ModelDocument`; the inverse of
/// `CompactModelWriter`. Structure is checked here, meaning in `CompiledModel`.
struct CompactModelReader {
    private var reader: ByteReader

    init(_ reader: ByteReader) {
        self.reader = reader
    }

    mutating func readDocument() throws(ModelValidationError) -> ModelDocument {
        let format = try reader.string()
        let formatVersion = Int(try reader.uint32())
        let id = try reader.string()
        let created = try reader.string()
        let featureSchema = try reader.string()
        let trainingData = try reader.string()
        let quarantine = try reader.double()
        let accept = try reader.double()
        let hasFullQuarantine = try reader.flag()
        let fullQuarantine = try reader.double()
        let inline = try subModel()
        let full = try reader.flag() ? try subModel() : nil
        guard reader.atEnd else { throw reader.failure("\(reader.remaining) bytes after the model") }
        var document = ModelDocument(
            id: id, created: created, featureSchema: featureSchema, trainingData: trainingData,
            thresholds: .init(quarantine: quarantine, accept: accept, fullQuarantine: hasFullQuarantine ? fullQuarantine : nil),
            inline: inline, full: full)
        document.format = format
        document.formatVersion = formatVersion
        return document
    }

    private mutating func subModel() throws(ModelValidationError) -> SubModelDocument {
        let code = try reader.uint8()
        switch CompactModelWriter.Kind(rawValue: code) {
        case .linear: return .linear(try linear())
        case .trees: return .trees(try trees())
        case .stacked: return .stacked(StackedModelDocument(text: try linear(), trees: try trees()))
        case nil: throw reader.failure("unknown model kind \(code)")
        }
    }

    private mutating func linear() throws(ModelValidationError) -> LinearModelDocument {
        let bias = try reader.double()
        let scalingCode = try reader.uint8()
        let scaling: LinearModelDocument.NGramScaling?
        switch scalingCode {
        case 0: scaling = nil
        case CompactModelWriter.scalingCode(.presence): scaling = .presence
        case CompactModelWriter.scalingCode(.logCount): scaling = .logCount
        default: throw reader.failure("unknown n-gram scaling \(scalingCode)")
        }
        let weights = try named()
        let means = try reader.flag() ? try named() : nil
        let scales = try reader.flag() ? try named() : nil
        var ngramWeights: [String: Double]?
        if try reader.flag() {
            let count = try reader.count(of: 12)
            reader.alignTo8()
            let values = try reader.doubles(count)
            let buckets = try reader.int32s(count)
            var table = [String: Double](minimumCapacity: count)
            for (bucket, value) in zip(buckets, values) {
                guard bucket >= 0, table.updateValue(value, forKey: String(bucket)) == nil else {
                    throw reader.failure("n-gram bucket \(bucket) is negative or repeated")
                }
            }
            ngramWeights = table
        }
        return LinearModelDocument(bias: bias, weights: weights, means: means, scales: scales, ngramWeights: ngramWeights, ngramScaling: scaling)
    }

    private mutating func named() throws(ModelValidationError) -> [String: Double] {
        let count = try reader.count(of: 12)
        var table = [String: Double](minimumCapacity: count)
        for _ in 0..<count {
            let name = try reader.string()
            guard table.updateValue(try reader.double(), forKey: name) == nil else { throw reader.failure("'\(name)' appears twice") }
        }
        return table
    }

    private mutating func trees() throws(ModelValidationError) -> TreeEnsembleDocument {
        let baseScore = try reader.double()
        let nameCount = try reader.count(of: 4)
        var names: [String] = []
        for _ in 0..<nameCount { names.append(try reader.string()) }
        let treeCount = try reader.count(of: 4)
        var trees: [TreeDocument] = []
        trees.reserveCapacity(treeCount)
        for _ in 0..<treeCount {
            let count = try reader.count(of: 28)
            reader.alignTo8()
            let threshold = try reader.doubles(count)
            let value = try reader.doubles(count)
            var feature: [String] = []
            feature.reserveCapacity(count)
            for index in try reader.int32s(count) {
                guard index >= -1, index < names.count else { throw reader.failure("feature index \(index) outside the \(names.count) names") }
                feature.append(index < 0 ? "" : names[Int(index)])
            }
            let left = try reader.int32s(count).map(Int.init)
            let right = try reader.int32s(count).map(Int.init)
            trees.append(TreeDocument(feature: feature, threshold: threshold, left: left, right: right, value: value))
        }
        return TreeEnsembleDocument(baseScore: baseScore, trees: trees)
    }
}
