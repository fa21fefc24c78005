import Features

/// A tree ensemble flattened into one array of all trees' nodes, so scoring is a few array
/// walks with no allocation.
struct CompiledTreeEnsemble: Sendable {
    let baseScore: Double
    /// Root node index of each tree.
    let roots: [Int32]
    /// Every tree's nodes, one after another.
    let nodes: [Node]

    /// One node in 32 bytes, so a walk reads one cache line per step.
    struct Node {
        let threshold: Double
        /// The mean output below the node, for attributions.
        let value: Double
        /// Schema index of the split feature, or -1 at a leaf.
        let feature: Int32
        let left: Int32
        let right: Int32
    }

    /// Bounds that keep a hostile file from making scoring slow or deep.
    static let maxTrees = 5_000
    static let maxNodesPerTree = 1 << 16
    static let maxDepth = 32

    init(_ document: TreeEnsembleDocument, schema: [String: Int]) throws(ModelValidationError) {
        guard document.baseScore.isFinite else { throw ModelValidationError("tree base score is not finite") }
        guard document.trees.count <= Self.maxTrees else { throw ModelValidationError("\(document.trees.count) trees (at most \(Self.maxTrees))") }
        var roots: [Int32] = [], nodes: [Node] = []
        for (number, tree) in document.trees.enumerated() {
            let count = tree.feature.count
            guard count > 0, count <= Self.maxNodesPerTree else { throw ModelValidationError("tree \(number) has \(count) nodes (1…\(Self.maxNodesPerTree))") }
            guard tree.threshold.count == count, tree.left.count == count, tree.right.count == count, tree.value.count == count else {
                throw ModelValidationError("tree \(number): node arrays differ in length")
            }
            let offset = Int32(nodes.count)
            roots.append(offset)
            for node in 0..<count {
                guard tree.value[node].isFinite else { throw ModelValidationError("tree \(number) node \(node): value is not finite") }
                if tree.feature[node].isEmpty {
                    // A leaf names no children: anything else is a damaged or hand-made file.
                    guard tree.left[node] == -1, tree.right[node] == -1 else {
                        throw ModelValidationError("tree \(number) node \(node): a leaf with children \(tree.left[node]) and \(tree.right[node])")
                    }
                    nodes.append(Node(threshold: 0, value: tree.value[node], feature: -1, left: -1, right: -1))
                } else {
                    guard let index = schema[tree.feature[node]] else {
                        throw ModelValidationError("tree \(number) node \(node): unknown feature '\(tree.feature[node])'")
                    }
                    guard tree.threshold[node].isFinite else { throw ModelValidationError("tree \(number) node \(node): threshold is not finite") }
                    // Children after their parent: no cycles, and every walk ends.
                    let left = tree.left[node], right = tree.right[node]
                    guard left > node, left < count, right > node, right < count else {
                        let child = left > node && left < count ? right : left
                        throw ModelValidationError("tree \(number) node \(node): child \(child) is not a later node of the tree")
                    }
                    nodes.append(Node(threshold: tree.threshold[node], value: tree.value[node], feature: Int32(index),
                                      left: offset + Int32(left), right: offset + Int32(right)))
                }
            }
            try Self.checkDepth(tree, number: number)
        }
        self.baseScore = document.baseScore
        self.roots = roots
        self.nodes = nodes
    }

    private static func checkDepth(_ tree: TreeDocument, number: Int) throws(ModelValidationError) {
        var depth = [Int](repeating: 0, count: tree.feature.count)
        for node in tree.feature.indices where !tree.feature[node].isEmpty {
            let childDepth = depth[node] + 1
            if childDepth > maxDepth { throw ModelValidationError("tree \(number) is deeper than \(maxDepth)") }
            depth[tree.left[node]] = max(depth[tree.left[node]], childDepth)
            depth[tree.right[node]] = max(depth[tree.right[node]], childDepth)
        }
    }

    /// Sum of leaves plus base score; contributions attribute each step's change in node
    /// value to the feature that split there. `extraInput` is the value of the one input
    /// past the schema (a stacked model's text log-odds).
    func score(_ vector: FeatureVector, extraInput: Double = 0, explain: Bool) -> ModelScore {
        var logit = baseScore
        var contributions = [Double](repeating: 0, count: explain ? ModelScore.inputCount : 0)
        // In locals: each read of a lazily set static is a call, and the loop reads them per node.
        let (baseInput, textInput) = (ModelScore.baseInput, ModelScore.textInput)
        // Unchecked reads and writes: loading proved every child index lies inside `nodes`,
        // and split features index the schema, which `contributions` covers.
        nodes.withUnsafeBufferPointer { nodes in
            vector.values.withUnsafeBufferPointer { values in
                contributions.withUnsafeMutableBufferPointer { contributions in
                    for root in roots {
                        var node = nodes[Int(root)]
                        if explain { contributions[baseInput] += node.value }
                        while node.feature >= 0 {
                            let split = Int(node.feature)
                            let input = split < values.count ? values[split] : extraInput
                            let next = nodes[Int(input < node.threshold ? node.left : node.right)]
                            if explain { contributions[min(split, textInput)] += next.value - node.value }
                            node = next
                        }
                        logit += node.value
                    }
                }
            }
        }
        if explain { contributions[ModelScore.baseInput] += baseScore }
        return ModelScore(logit: logit, byInput: contributions)
    }
}
