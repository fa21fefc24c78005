import Features

/// A tree ensemble flattened into parallel arrays over all trees' nodes, so scoring is a few
/// array walks with no allocation.
struct CompiledTreeEnsemble: Sendable {
    let baseScore: Double
    /// Root node index of each tree.
    let roots: [Int32]
    /// Per node: schema index of the split feature, or -1 at a leaf.
    let feature: [Int32]
    let threshold: [Double]
    let left: [Int32]
    let right: [Int32]
    let value: [Double]

    /// Bounds that keep a hostile file from making scoring slow or deep.
    static let maxTrees = 5_000
    static let maxNodesPerTree = 1 << 16
    static let maxDepth = 32

    init(_ document: TreeEnsembleDocument, schema: [String: Int]) throws(ModelValidationError) {
        guard document.baseScore.isFinite else { throw ModelValidationError("tree base score is not finite") }
        guard document.trees.count <= Self.maxTrees else { throw ModelValidationError("\(document.trees.count) trees (at most \(Self.maxTrees))") }
        var roots: [Int32] = [], feature: [Int32] = [], threshold: [Double] = [], left: [Int32] = [], right: [Int32] = [], value: [Double] = []
        for (number, tree) in document.trees.enumerated() {
            let count = tree.feature.count
            guard count > 0, count <= Self.maxNodesPerTree else { throw ModelValidationError("tree \(number) has \(count) nodes (1…\(Self.maxNodesPerTree))") }
            guard tree.threshold.count == count, tree.left.count == count, tree.right.count == count, tree.value.count == count else {
                throw ModelValidationError("tree \(number): node arrays differ in length")
            }
            let offset = Int32(feature.count)
            roots.append(offset)
            for node in 0..<count {
                guard tree.value[node].isFinite else { throw ModelValidationError("tree \(number) node \(node): value is not finite") }
                if tree.feature[node].isEmpty {
                    feature.append(-1)
                    threshold.append(0)
                    left.append(-1)
                    right.append(-1)
                } else {
                    guard let index = schema[tree.feature[node]] else {
                        throw ModelValidationError("tree \(number) node \(node): unknown feature '\(tree.feature[node])'")
                    }
                    guard tree.threshold[node].isFinite else { throw ModelValidationError("tree \(number) node \(node): threshold is not finite") }
                    // Children after their parent: no cycles, and every walk ends.
                    for child in [tree.left[node], tree.right[node]] where child <= node || child >= count {
                        throw ModelValidationError("tree \(number) node \(node): child \(child) is not a later node of the tree")
                    }
                    feature.append(Int32(index))
                    threshold.append(tree.threshold[node])
                    left.append(offset + Int32(tree.left[node]))
                    right.append(offset + Int32(tree.right[node]))
                }
                value.append(tree.value[node])
            }
            try Self.checkDepth(tree, number: number)
        }
        self.baseScore = document.baseScore
        self.roots = roots
        self.feature = feature
        self.threshold = threshold
        self.left = left
        self.right = right
        self.value = value
    }

    private static func checkDepth(_ tree: TreeDocument, number: Int) throws(ModelValidationError) {
        var depth = [Int](repeating: 0, count: tree.feature.count)
        for node in tree.feature.indices where !tree.feature[node].isEmpty {
            for child in [tree.left[node], tree.right[node]] {
                depth[child] = max(depth[child], depth[node] + 1)
                if depth[child] > maxDepth { throw ModelValidationError("tree \(number) is deeper than \(maxDepth)") }
            }
        }
    }

    /// Sum of leaves plus base score; contributions attribute each step's change in node
    /// value to the feature that split there. `extraInput` is the value of the one input
    /// past the schema (a stacked model's text log-odds).
    func score(_ vector: FeatureVector, extraInput: Double = 0, explain: Bool) -> ModelScore {
        var logit = baseScore
        var contributions: [String: Double] = [:]
        for root in roots {
            var node = Int(root)
            if explain { contributions["base", default: 0] += value[node] }
            while feature[node] >= 0 {
                let split = Int(feature[node])
                let input = split < vector.values.count ? vector.values[split] : extraInput
                let next = input < threshold[node] ? Int(left[node]) : Int(right[node])
                if explain { contributions[Self.inputName(split), default: 0] += value[next] - value[node] }
                node = next
            }
            logit += value[node]
        }
        if explain { contributions["base", default: 0] += baseScore }
        return ModelScore(logit: logit, contributions: contributions)
    }

    private static func inputName(_ index: Int) -> String {
        index < FeatureSchema.definitions.count ? FeatureSchema.definitions[index].name : StackedModelDocument.textInput
    }
}
