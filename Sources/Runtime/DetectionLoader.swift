import Detection
import Features
import FilterCore
import Foundation

/// Builds the detection snapshot a configuration describes: reads and validates the model and
/// the rules, then canary-scores the result before anything is swapped in. Startup and reload
/// both go through here, so a file that would fail on reload also fails `gannet check`.
public enum DetectionLoader {
    /// Lists from the configuration that rules may name.
    public static func externalLists(_ config: GannetConfig) -> [String: Set<String>] {
        let lists = config.lists
        return [
            "internal_domains": Set(config.features.internalDomains),
            "protected_domains": Set(config.features.protectedDomains),
            "blocked_senders": lists.blockedAddresses, "blocked_domains": lists.blockedDomains,
            "allowed_senders": lists.allowedAddresses, "allowed_domains": lists.allowedDomains,
        ]
    }

    public static func snapshot(_ config: GannetConfig) throws(ConfigError) -> FilterSnapshot {
        try snapshot(config, model: loadModel(config.detection.modelPath))
    }

    /// The same with the model already loaded (by `loadModel`), for a caller that times it.
    public static func snapshot(_ config: GannetConfig, model: CompiledModel?) throws(ConfigError) -> FilterSnapshot {
        let rules = try loadRules(config)
        let engine = DetectionEngine(lists: config.lists, model: model, rules: rules, policy: config.detection.policy)
        try canary(engine)
        return FilterSnapshot(policy: config.policy, engine: engine, features: config.features)
    }

    public static func loadModel(_ path: String) throws(ConfigError) -> CompiledModel? {
        guard !path.isEmpty else { return nil }
        let data: [UInt8]
        do {
            data = try ModelFile.read(path)
        } catch let refused as ModelValidationError {
            throw ConfigError(file: path, position: nil, message: refused.reason)
        } catch {
            throw ConfigError(file: path, position: nil, message: "cannot read model: \(error.localizedDescription)")
        }
        let document: ModelDocument
        do {
            document = try ModelFile.decode(data)
        } catch {
            throw ConfigError(file: path, position: nil, message: error.reason)
        }
        do {
            return try CompiledModel(document)
        } catch {
            throw ConfigError(file: path, position: nil, message: "model refused: \(error.reason)")
        }
    }

    static func loadRules(_ config: GannetConfig) throws(ConfigError) -> RuleEvaluator {
        let path = config.detection.rulesPath
        let text: String
        let name: String
        if path.isEmpty {
            text = StarterRules.text
            name = "starter rules"
        } else {
            do {
                text = try String(contentsOfFile: path, encoding: .utf8)
            } catch {
                throw ConfigError(file: path, position: nil, message: "cannot read rules: \(error.localizedDescription)")
            }
            name = path
        }
        let lists = externalLists(config)
        do {
            return RuleEvaluator(rules: try RuleParser.parse(text, file: name, externalLists: Set(lists.keys)), externalLists: lists)
        } catch {
            throw ConfigError(file: error.file, position: SourcePosition(line: error.line, column: error.column), message: error.message)
        }
    }

    /// Scores an empty message, a loud one and an extreme one; each must give finite numbers and
    /// a score in 0…1, so a model that would poison every verdict never reaches the swap. A small message also runs
    /// through the extractor, which builds its shared tables here rather than on the first
    /// message, whose inline budget would pay for them.
    static func canary(_ engine: DetectionEngine) throws(ConfigError) {
        var extractor = FeatureExtractor(settings: FeatureSettings(), pass: .inline(byteBudget: 1 << 16))
        extractor.header(name: "From", value: "Canary <canary@example.org>")
        extractor.header(name: "Subject", value: "Verify your account")
        extractor.endOfHeaders()
        extractor.body(Array("Please verify your account at https://www.example.org/login today.\r\n".utf8))
        _ = extractor.finish()
        // Silent, every feature on, and every feature far past anything a message gives: a
        // model whose coefficients overflow on large inputs is refused here, not on the first
        // message that has them.
        var loud = FeatureVector(), extreme = FeatureVector()
        for feature in Feature.allCases {
            loud[feature] = 1
            extreme[feature] = 1e6
        }
        for vector in [FeatureVector(), loud, extreme] {
            for pass in [DetectionEngine.Pass.inline, .full] {
                let verdict = engine.verdict(for: MessageEvidence(), features: vector, pass: pass)
                guard verdict.isFinite, (0...1).contains(verdict.score) else {
                    throw ConfigError(file: engine.modelID, position: nil, message: "canary scoring gave \(verdict.score) (log-odds \(verdict.logOdds))")
                }
            }
        }
    }
}
