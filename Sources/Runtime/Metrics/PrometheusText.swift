/// A histogram with fixed upper bounds, as Prometheus exposes it.
struct Histogram: Sendable {
    let bounds: [Double]
    private(set) var bucketCounts: [Int]
    private(set) var count = 0
    private(set) var sum = 0.0

    init(bounds: [Double]) {
        self.bounds = bounds
        bucketCounts = [Int](repeating: 0, count: bounds.count)
    }

    mutating func observe(_ value: Double) {
        count += 1
        sum += value
        if let bucket = bounds.firstIndex(where: { value <= $0 }) { bucketCounts[bucket] += 1 }
    }
}

/// Prometheus text exposition format 0.0.4, one metric family at a time.
struct PrometheusText {
    private(set) var text = ""

    mutating func gauge(_ name: String, help: String, _ value: some CustomStringConvertible) {
        header(name, "gauge", help)
        text += "\(name) \(value)\n"
    }

    mutating func counter(_ name: String, help: String, _ value: Int) {
        header(name, "counter", help)
        text += "\(name) \(value)\n"
    }

    /// A counter with one label, a sample per label value in the order given.
    mutating func counter(_ name: String, help: String, by label: String, _ samples: [(value: String, count: Int)]) {
        header(name, "counter", help)
        for sample in samples { text += "\(name){\(label)=\"\(sample.value)\"} \(sample.count)\n" }
    }

    /// A counter with several labels a sample.
    mutating func counter(_ name: String, help: String, labelled samples: [(labels: KeyValuePairs<String, String>, count: Int)]) {
        header(name, "counter", help)
        for sample in samples {
            text += "\(name){\(sample.labels.map { "\($0.key)=\"\($0.value)\"" }.joined(separator: ","))} \(sample.count)\n"
        }
    }

    mutating func histogram(_ name: String, help: String, _ histogram: Histogram) {
        header(name, "histogram", help)
        var cumulative = 0
        for (bound, count) in zip(histogram.bounds, histogram.bucketCounts) {
            cumulative += count
            text += "\(name)_bucket{le=\"\(bound)\"} \(cumulative)\n"
        }
        text += "\(name)_bucket{le=\"+Inf\"} \(histogram.count)\n"
        text += "\(name)_sum \(histogram.sum)\n"
        text += "\(name)_count \(histogram.count)\n"
    }

    private mutating func header(_ name: String, _ type: String, _ help: String) {
        text += "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n"
    }
}
