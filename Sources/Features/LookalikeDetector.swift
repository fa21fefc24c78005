/// Decides whether a host imitates a protected domain. Built once per configuration (the
/// targets' skeletons and labels are precomputed), asked once per distinct host.
public struct LookalikeDetector: Sendable, Equatable {
    struct Target: Sendable, Equatable {
        let domain: String
        /// `domain.` as bytes: the whole target used as a subdomain of something else.
        let domainAsSubdomain: [UInt8]
        let skeleton: [UInt8]
        let label: [UInt8]
        let labelSkeleton: [UInt8]
    }

    let targets: [Target]
    /// Registrable domains that are the real thing (a brand's own sending domains).
    let legitimate: Set<String>

    public init(protected: [String], legitimate: [String]) {
        let domains = Set(protected.map(DomainNames.registrableDomain)).filter { !$0.isEmpty }.sorted()
        targets = domains.map { domain in
            let label = DomainNames.firstLabel(domain)
            return Target(domain: domain, domainAsSubdomain: Array((domain + ".").utf8), skeleton: Array(DomainNames.skeleton(domain).utf8), label: Array(label.utf8), labelSkeleton: Array(DomainNames.skeleton(label).utf8))
        }
        self.legitimate = Set(legitimate.map(DomainNames.registrableDomain)).union(domains)
    }

    /// Same confusable skeleton as a target, a small edit distance from its first label, the
    /// target's label inside another registrable domain (`paypal-secure.com`), or the whole
    /// target used as a subdomain (`paypal.com.evil.net`).
    public func isLookalike(_ host: String) -> Bool {
        let lowerHost = host.lowercased()
        let hostBytes = Array(lowerHost.utf8)
        let candidate = DomainNames.registrableDomain(Punycode.toUnicode(lowerHost))
        guard !candidate.isEmpty, !legitimate.contains(candidate), !DomainNames.isIPAddress(candidate) else { return false }
        let skeleton = Array(DomainNames.skeleton(candidate).utf8)
        let label = DomainNames.firstLabel(candidate)
        let labelBytes = Array(label.utf8)
        let labelSkeleton = Array(DomainNames.skeleton(label).utf8)
        for target in targets {
            if skeleton == target.skeleton { return true }
            guard target.label.count >= 5 else { continue }
            if abs(labelBytes.count - target.label.count) <= 2 {
                let distance = DomainNames.editDistance(labelBytes, target.label, limit: 2)
                if distance > 0, distance <= (target.label.count >= 8 ? 2 : 1) { return true }
            }
            if labelSkeleton.count > target.labelSkeleton.count, labelSkeleton.containsSubsequence(target.labelSkeleton) { return true }
            if hostBytes.containsSubsequence(target.domainAsSubdomain) { return true }
        }
        return false
    }
}
