import Features

/// A tree ensemble flattened into one array of all trees' nodes, so scoring is a few array
/// walks with no allocation.
struct CompiledTreeEnsemble: Sendable {
    let baseScore: Double
    /// Root node index of each tree.
    let roots: [Int32]
    /// Every tree's nodes, one after another, each tree breadth first with the two children
    /// of a node side by side.
    let nodes: [Node]
    /// The mean output below each node (at a leaf, its output), apart from `nodes`: a walk
    /// reads a value only to add it, never to find the next node.
    let values: [Double]

    /// What a walk reads to find the next node, in 16 bytes: four nodes to a cache line, so a
    /// small tree's first levels are one or two reads from memory.
    struct Node {
        let threshold: Double
        /// Schema index of the split feature, or -1 at a leaf.
        let feature: Int32
        /// The child for an input below the threshold; the other child follows it.
        let left: Int32
    }

    /// Bounds that keep a hostile file from making scoring slow or deep.
    static let maxTrees = 5_000
    static let maxNodesPerTree = 1 << 16
    static let maxDepth = 32

    init(_ document: TreeEnsembleDocument, schema: [String: Int]) throws(ModelValidationError) {
        guard document.baseScore.isFinite else { throw ModelValidationError("tree base score is not finite") }
        guard document.trees.count <= Self.maxTrees else { throw ModelValidationError("\(document.trees.count) trees (at most \(Self.maxTrees))") }
        var roots: [Int32] = [], nodes: [Node] = [], values: [Double] = []
        for (number, tree) in document.trees.enumerated() {
            try Self.validate(tree, number: number, schema: schema)
            try Self.checkDepth(tree, number: number)
            let offset = nodes.count
            roots.append(Int32(offset))
            // Breadth first, so the two children of a node take the next two free places.
            var order = [0], next = 1
            var position = 0
            while position < order.count {
                let node = order[position]
                position += 1
                if tree.feature[node].isEmpty {
                    nodes.append(Node(threshold: 0, feature: -1, left: -1))
                } else {
                    nodes.append(Node(threshold: tree.threshold[node], feature: Int32(schema[tree.feature[node]] ?? -1), left: Int32(offset + next)))
                    order.append(tree.left[node])
                    order.append(tree.right[node])
                    next += 2
                }
                values.append(tree.value[node])
            }
        }
        self.baseScore = document.baseScore
        self.roots = roots
        self.nodes = nodes
        self.values = values
    }

    /// Every node's value finite, every split on a known feature at a finite threshold, and
    /// every child a later node of the tree with no other parent, so no walk loops, each
    /// reaches a leaf, and laying a tree out breadth first copies no node twice.
    private static func validate(_ tree: TreeDocument, number: Int, schema: [String: Int]) throws(ModelValidationError) {
        let count = tree.feature.count
        guard count > 0, count <= Self.maxNodesPerTree else { throw ModelValidationError("tree \(number) has \(count) nodes (1…\(Self.maxNodesPerTree))") }
        guard tree.threshold.count == count, tree.left.count == count, tree.right.count == count, tree.value.count == count else {
            throw ModelValidationError("tree \(number): node arrays differ in length")
        }
        var hasParent = [Bool](repeating: false, count: count)
        for node in 0..<count {
            guard tree.value[node].isFinite else { throw ModelValidationError("tree \(number) node \(node): value is not finite") }
            if tree.feature[node].isEmpty {
                // A leaf names no children: anything else is a damaged or hand-made file.
                guard tree.left[node] == -1, tree.right[node] == -1 else {
                    throw ModelValidationError("tree \(number) node \(node): a leaf with children \(tree.left[node]) and \(tree.right[node])")
                }
            } else {
                guard schema[tree.feature[node]] != nil else {
                    throw ModelValidationError("tree \(number) node \(node): unknown feature '\(tree.feature[node])'")
                }
                guard tree.threshold[node].isFinite else { throw ModelValidationError("tree \(number) node \(node): threshold is not finite") }
                // Children after their parent: no cycles, and every walk ends.
                let left = tree.left[node], right = tree.right[node]
                guard left > node, left < count, right > node, right < count else {
                    let child = left > node && left < count ? right : left
                    throw ModelValidationError("tree \(number) node \(node): child \(child) is not a later node of the tree")
                }
                for child in [left, right] {
                    guard !hasParent[child] else { throw ModelValidationError("tree \(number) node \(child) is the child of two nodes") }
                    hasParent[child] = true
                }
            }
        }
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
        // Unchecked reads and writes: loading laid out every child inside `nodes`, and split
        // features index the schema, which `contributions` covers.
        nodes.withUnsafeBufferPointer { nodes in
            self.values.withUnsafeBufferPointer { nodeValues in
                vector.values.withUnsafeBufferPointer { values in
                    contributions.withUnsafeMutableBufferPointer { contributions in
                        for root in roots {
                            var index = Int(root)
                            var node = nodes[index]
                            if explain { contributions[baseInput] += nodeValues[index] }
                            while node.feature >= 0 {
                                let split = Int(node.feature)
                                let input = split < values.count ? values[split] : extraInput
                                // Not below the threshold (NaN included): the right child, next to the left.
                                let next = Int(node.left) + (input < node.threshold ? 0 : 1)
                                if explain { contributions[min(split, textInput)] += nodeValues[next] - nodeValues[index] }
                                index = next
                                node = nodes[next]
                            }
                            logit += nodeValues[index]
                        }
                    }
                }
            }
        }
        if explain { contributions[ModelScore.baseInput] += baseScore }
        return ModelScore(logit: logit, byInput: contributions)
    }
}
