import Detection
import Features
import Foundation

/// Gradient-boosted trees for log-loss: histogram splits over quantile bins, second-order
/// (Newton) leaf values with L2, shrinkage, and early stopping on a validation fold.
/// Deterministic: no randomness at all.
public struct BoostedTreesTrainer: Sendable {
    public var rounds = 300
    public var depth = 4
    public var learningRate = 0.1
    public var lambda = 1.0
    public var minimumChildHessian = 1.0
    public var bins = 32
    public var patience = 25
    public var features: [Feature]
    /// Per feature, +1 when the score may only rise with it, −1 when it may only fall, absent
    /// when either: a constrained feature cannot turn its absence into evidence.
    public var monotone: [Feature: Int] = [:]

    public init(features: [Feature]) {
        self.features = features
    }

    public struct Result: Sendable {
        public let document: TreeEnsembleDocument
        public let roundsKept: Int
        public let validationLogLoss: Double
    }

    /// One more input beside the features, with a value per training and validation example
    /// (a stacked model's text log-odds); trees name it `name`.
    public struct ExtraInput: Sendable {
        public let name: String
        public let train: [Double]
        public let validation: [Double]
        /// Monotone direction, as in `monotone`.
        public let direction: Int

        public init(name: String, train: [Double], validation: [Double], direction: Int = 0) {
            self.name = name
            self.train = train
            self.validation = validation
            self.direction = direction
        }
    }

    public func train(_ examples: [TrainingExample], validation: [TrainingExample], extra: ExtraInput? = nil) -> Result {
        // Column-major inputs: the features, then the extra input.
        var names = features.map { FeatureSchema.definitions[$0.rawValue].name }
        var columns = features.map { feature in examples.map { $0.vector[feature] } }
        var validationColumns = features.map { feature in validation.map { $0.vector[feature] } }
        var directions = features.map { monotone[$0] ?? 0 }
        if let extra {
            names.append(extra.name)
            columns.append(extra.train)
            validationColumns.append(extra.validation)
            directions.append(extra.direction)
        }
        let cuts = columns.map { Self.cuts($0, bins: bins) }
        let binned: [[UInt8]] = columns.indices.map { slot in columns[slot].map { Self.bin($0, cuts[slot]) } }
        let labels = examples.map { $0.isAttack ? 1.0 : 0.0 }, weights = examples.map(\.weight)
        let attackWeight = zip(labels, weights).reduce(0) { $0 + $1.0 * $1.1 }
        let prevalence = min(max(attackWeight / max(1e-12, weights.reduce(0, +)), 1e-6), 1 - 1e-6)
        let base = log(prevalence / (1 - prevalence))
        var margins = [Double](repeating: base, count: examples.count)
        var validationMargins = [Double](repeating: base, count: validation.count)
        var trees: [TreeDocument] = []
        var best = (loss: Double.infinity, rounds: 0)
        for round in 0..<rounds {
            var gradients = [Double](repeating: 0, count: examples.count)
            var hessians = [Double](repeating: 0, count: examples.count)
            for index in examples.indices {
                let p = 1 / (1 + exp(-margins[index]))
                gradients[index] = (p - labels[index]) * weights[index]
                hessians[index] = max(p * (1 - p), 1e-12) * weights[index]
            }
            let tree = grow(Columns(binned: binned, cuts: cuts, names: names, directions: directions), gradients: gradients, hessians: hessians)
            trees.append(tree)
            let slots = tree.feature.map { name in name.isEmpty ? -1 : names.firstIndex(of: name)! }
            for index in examples.indices { margins[index] += Self.evaluate(tree, slots: slots) { columns[$0][index] } }
            for index in validation.indices { validationMargins[index] += Self.evaluate(tree, slots: slots) { validationColumns[$0][index] } }
            let loss = Self.logLoss(validationMargins, validation.map { ($0.isAttack, $0.weight) })
            if loss < best.loss - 1e-9 {
                best = (loss, round + 1)
            } else if round + 1 - best.rounds >= patience {
                break
            }
        }
        if validation.isEmpty { best = (.nan, trees.count) }
        return Result(document: TreeEnsembleDocument(baseScore: base, trees: Array(trees.prefix(best.rounds))), roundsKept: best.rounds, validationLogLoss: best.loss)
    }

    /// The binned inputs a tree is grown from.
    struct Columns {
        let binned: [[UInt8]]
        let cuts: [[Double]]
        let names: [String]
        let directions: [Int]
    }

    /// Grows one tree breadth-first; every node carries its (shrunk) Newton value, kept
    /// within the bounds that monotone splits above it set.
    private func grow(_ columns: Columns, gradients: [Double], hessians: [Double]) -> TreeDocument {
        var feature: [String] = [], threshold: [Double] = [], left: [Int] = [], right: [Int] = [], value: [Double] = []
        var queue: [(members: [Int], depth: Int, bounds: ClosedRange<Double>)] = [(Array(gradients.indices), 0, -Double.infinity...Double.infinity)]
        var head = 0
        while head < queue.count {
            let (members, level, bounds) = queue[head]
            head += 1
            let g = members.reduce(0) { $0 + gradients[$1] }, h = members.reduce(0) { $0 + hessians[$1] }
            let weight = newton(g, h, within: bounds)
            feature.append("")
            threshold.append(0)
            left.append(-1)
            right.append(-1)
            value.append(weight * learningRate)
            let node = feature.count - 1
            guard level < depth, let split = bestSplit(members, columns, gradients: gradients, hessians: hessians, parent: (g, h, weight), bounds: bounds) else {
                continue
            }
            let goesLeft = members.filter { Int(columns.binned[split.slot][$0]) <= split.cut }
            let goesRight = members.filter { Int(columns.binned[split.slot][$0]) > split.cut }
            feature[node] = columns.names[split.slot]
            threshold[node] = columns.cuts[split.slot][split.cut]
            // A monotone split caps the lower side's later leaves at the midpoint and floors the
            // higher side's there, so no deeper split can reverse the order.
            var leftBounds = bounds, rightBounds = bounds
            let middle = min(max((split.left + split.right) / 2, bounds.lowerBound), bounds.upperBound)
            switch columns.directions[split.slot] {
            case 1:
                leftBounds = bounds.lowerBound...middle
                rightBounds = middle...bounds.upperBound
            case -1:
                leftBounds = middle...bounds.upperBound
                rightBounds = bounds.lowerBound...middle
            default: break
            }
            // Children are appended in queue order: their indexes are where they will land.
            left[node] = queue.count
            right[node] = queue.count + 1
            queue.append((goesLeft, level + 1, leftBounds))
            queue.append((goesRight, level + 1, rightBounds))
        }
        return TreeDocument(feature: feature, threshold: threshold, left: left, right: right, value: value)
    }

    /// The Newton step −G/(H+λ), clamped into the node's bounds.
    private func newton(_ g: Double, _ h: Double, within bounds: ClosedRange<Double>) -> Double {
        min(max(-g / (h + lambda), bounds.lowerBound), bounds.upperBound)
    }

    /// Twice the loss reduction of giving weight w to a node with gradient sum G and Hessian
    /// sum H: −(2Gw + (H+λ)w²), which is G²/(H+λ) at the unclamped Newton step.
    private func reduction(_ g: Double, _ h: Double, _ w: Double) -> Double {
        -(2 * g * w + (h + lambda) * w * w)
    }

    private func bestSplit(_ members: [Int], _ columns: Columns, gradients: [Double], hessians: [Double],
                           parent: (g: Double, h: Double, weight: Double), bounds: ClosedRange<Double>) -> (slot: Int, cut: Int, left: Double, right: Double)? {
        var best: (gain: Double, slot: Int, cut: Int, left: Double, right: Double)?
        let (g, h) = (parent.g, parent.h)
        let parentReduction = reduction(g, h, parent.weight)
        for slot in columns.cuts.indices where !columns.cuts[slot].isEmpty {
            var histogramG = [Double](repeating: 0, count: columns.cuts[slot].count + 1)
            var histogramH = [Double](repeating: 0, count: columns.cuts[slot].count + 1)
            let column = columns.binned[slot]
            for member in members {
                histogramG[Int(column[member])] += gradients[member]
                histogramH[Int(column[member])] += hessians[member]
            }
            var leftG = 0.0, leftH = 0.0
            for cut in columns.cuts[slot].indices {
                leftG += histogramG[cut]
                leftH += histogramH[cut]
                let rightG = g - leftG, rightH = h - leftH
                guard leftH >= minimumChildHessian, rightH >= minimumChildHessian else { continue }
                let leftWeight = newton(leftG, leftH, within: bounds), rightWeight = newton(rightG, rightH, within: bounds)
                let direction = columns.directions[slot]
                if direction > 0 && leftWeight > rightWeight || direction < 0 && leftWeight < rightWeight { continue }
                let gain = reduction(leftG, leftH, leftWeight) + reduction(rightG, rightH, rightWeight) - parentReduction
                if gain > 1e-9, gain > (best?.gain ?? 0) { best = (gain, slot, cut, leftWeight, rightWeight) }
            }
        }
        return best.map { ($0.slot, $0.cut, $0.left, $0.right) }
    }

    /// Split points between distinct quantiles: at most `bins - 1`, so bin ids fit a byte.
    static func cuts(_ values: [Double], bins: Int) -> [Double] {
        let sorted = values.sorted()
        guard let first = sorted.first, let last = sorted.last, first < last else { return [] }
        var points: [Double] = []
        for step in 1..<bins {
            let lower = sorted[min(sorted.count - 1, step * sorted.count / bins)]
            if let previous = points.last, lower <= previous { continue }
            if lower > first { points.append(lower) }
        }
        // A cut c separates x < c from x ≥ c; use midpoints below each quantile value.
        var result: [Double] = []
        for point in points {
            let below = sorted.last { $0 < point } ?? first
            let cut = (below + point) / 2
            if cut > (result.last ?? -.infinity) { result.append(cut) }
        }
        return result
    }

    /// Number of cuts at or below the value: splitting at cut j sends bins ≤ j left.
    static func bin(_ value: Double, _ cuts: [Double]) -> UInt8 {
        var low = 0, high = cuts.count
        while low < high {
            let middle = (low + high) / 2
            if cuts[middle] <= value { low = middle + 1 } else { high = middle }
        }
        return UInt8(low)
    }

    /// The tree's output for one example; `slots[node]` is the split feature's slot (-1 at a leaf).
    static func evaluate(_ tree: TreeDocument, slots: [Int], value: (Int) -> Double) -> Double {
        var node = 0
        while slots[node] >= 0 {
            node = value(slots[node]) < tree.threshold[node] ? tree.left[node] : tree.right[node]
        }
        return tree.value[node]
    }

    /// Weighted mean log-loss.
    static func logLoss(_ margins: [Double], _ labels: [(isAttack: Bool, weight: Double)]) -> Double {
        guard !margins.isEmpty else { return .nan }
        var total = 0.0, weights = 0.0
        for (margin, label) in zip(margins, labels) {
            let p = min(max(1 / (1 + exp(-margin)), 1e-12), 1 - 1e-12)
            total -= (label.isAttack ? log(p) : log(1 - p)) * label.weight
            weights += label.weight
        }
        return total / max(weights, 1e-12)
    }
}
