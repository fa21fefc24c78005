import MailParsing

/// Decides whether a host imitates a protected domain. Built once per configuration (skeletons,
/// labels and letter counts precomputed), asked once per distinct host of a message.
public struct LookalikeDetector: Sendable, Equatable {
    /// The first label of a protected registrable domain (`paypal` of `paypal.com`).
    struct Label: Sendable, Equatable {
        let bytes: [UInt8]
        let skeleton: [UInt8]
        /// Letter counts: two labels within two edits differ by at most 4 here, a cheap test
        /// that spares most edit-distance computations.
        let histogram: [UInt8]
    }

    /// Confusable skeletons of the protected registrable domains.
    let skeletons: Set<[UInt8]>
    /// Protected registrable domains, to spot one used as a subdomain (`paypal.com.evil.net`).
    let domains: Set<String>
    /// Distinct first labels of five or more bytes (shorter ones match too much by accident).
    let labels: [Label]
    /// Registrable domains that are the real thing (protected ones and brands' own domains).
    let legitimate: Set<String>

    public init(protected: [String], legitimate: [String]) {
        let domains = Set(protected.map(DomainNames.registrableDomain)).filter { !$0.isEmpty }
        self.domains = domains
        skeletons = Set(domains.map { Array(DomainNames.skeleton($0).utf8) })
        let firstLabels = Set(domains.map(DomainNames.firstLabel)).filter { $0.utf8.count >= 5 }.sorted()
        labels = firstLabels.map { label in
            Label(bytes: Array(label.utf8), skeleton: Array(DomainNames.skeleton(label).utf8), histogram: Self.histogram(Array(label.utf8)))
        }
        self.legitimate = Set(legitimate.map(DomainNames.registrableDomain)).union(domains)
    }

    /// Same confusable skeleton as a protected domain, a small edit distance from its first
    /// label, that label inside another registrable domain (`paypal-secure.com`), or the whole
    /// protected domain used as a subdomain (`paypal.com.evil.net`).
    public func isLookalike(_ host: String) -> Bool {
        let lowerHost = host.lowercased()
        let candidate = DomainNames.registrableDomain(Punycode.toUnicode(lowerHost))
        guard !candidate.isEmpty, !legitimate.contains(candidate), !DomainNames.isIPAddress(candidate) else { return false }
        if skeletons.contains(Array(DomainNames.skeleton(candidate).utf8)) { return true }
        if embedsProtectedDomain(lowerHost) { return true }
        let label = DomainNames.firstLabel(candidate)
        let labelBytes = Array(label.utf8)
        let labelSkeleton = Array(DomainNames.skeleton(label).utf8)
        let histogram = Self.histogram(labelBytes)
        for target in labels {
            if labelSkeleton.count > target.skeleton.count, labelSkeleton.containsSubsequence(target.skeleton) { return true }
            guard abs(labelBytes.count - target.bytes.count) <= 2, Self.histogramDistance(histogram, target.histogram) <= 4 else { continue }
            let distance = DomainNames.editDistance(labelBytes, target.bytes, limit: 2)
            if distance > 0, distance <= (target.bytes.count >= 8 ? 2 : 1) { return true }
        }
        return false
    }

    /// `a.b.c.d`: is any `x.y` pair of consecutive labels, not at the end, a protected domain?
    private func embedsProtectedDomain(_ host: String) -> Bool {
        var host = host
        if let embeds = host.withUTF8({ $0.endOfASCII(from: 0) == $0.count ? asciiEmbedsProtectedDomain($0) : nil }) { return embeds }
        let parts = host.split(separator: ".")
        guard parts.count >= 3 else { return false }
        for index in 0..<(parts.count - 2) where domains.contains(parts[index] + "." + parts[index + 1]) { return true }
        return false
    }

    /// `embedsProtectedDomain` for ASCII, where labels are the runs of bytes between dots:
    /// each pair of consecutive labels is checked once a third label follows it.
    private func asciiEmbedsProtectedDomain(_ host: UnsafeBufferPointer<UInt8>) -> Bool {
        var older: Range<Int>?, newer: Range<Int>?
        var index = 0
        while index < host.count {
            guard host[index] != 46 else {
                index += 1
                continue
            }
            let end = host[index...].firstIndex(of: 46) ?? host.count
            if let older, let newer {
                let pair = newer.lowerBound == older.upperBound + 1
                    ? String(decoding: host[older.lowerBound..<newer.upperBound], as: UTF8.self)
                    : String(decoding: host[older], as: UTF8.self) + "." + String(decoding: host[newer], as: UTF8.self)
                if domains.contains(pair) { return true }
            }
            older = newer
            newer = index..<end
            index = end
        }
        return false
    }

    static func histogram(_ label: [UInt8]) -> [UInt8] {
        var counts = [UInt8](repeating: 0, count: 37)
        for byte in label {
            let slot = byte >= 97 && byte <= 122 ? Int(byte - 97) : byte >= 48 && byte <= 57 ? 26 + Int(byte - 48) : 36
            counts[slot] &+= 1
        }
        return counts
    }

    static func histogramDistance(_ a: [UInt8], _ b: [UInt8]) -> Int {
        var total = 0
        for index in 0..<37 {
            total += abs(Int(a[index]) - Int(b[index]))
            if total > 4 { return total }
        }
        return total
    }
}
