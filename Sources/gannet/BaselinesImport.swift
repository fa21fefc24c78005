import ArgumentParser
import Baselines
import Foundation
import Logging
import Runtime
import Training

/// `gannet baselines import`: day-one baselines from the site's existing mail.
struct BaselinesImport: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Seed the baselines from existing mail (Maildirs, mbox files, .eml trees): senders, domains, pairs and replies, oldest first.",
        discussion: "Give both the users' sent and received folders: sent mail (From an internal domain) is what makes a reply a reply. The embedded store is written while the daemon is stopped; Redis at any time.")

    @OptionGroup var options: ConfigOptions

    @Argument(help: "Maildirs, mbox files or directories of them.")
    var paths: [String]

    func run() throws {
        let config = try options.load()
        guard config.baselines.store != .off else { throw ValidationError("baselines.store is off: there is nothing to seed") }
        if config.baselines.store == .embedded, case .success(let pid) = PidFile.running(stateDirectory: config.daemon.stateDirectory) {
            throw ValidationError("gannet is running (pid \(pid)): it keeps the embedded store in memory and would write over the import; stop it first")
        }
        let entries = try paths.flatMap { try CorpusReader.directory($0, label: "ham") }
        var unreadable = 0
        let messages = entries.lazy.compactMap { entry -> [UInt8]? in
            guard case .success(let bytes) = CorpusReader.read(entry) else {
                unreadable += 1
                return nil
            }
            return bytes
        }
        let (lessons, summary) = MailboxImport(internalDomains: config.features.internalRegistrable).lessons(messages)
        let store = try Self.store(config)
        for lesson in lessons { store.learn(lesson) }
        let held = try Self.finish(store)
        print("read \(summary.read) messages in \(paths.count) path(s)" + (unreadable > 0 ? ", \(unreadable) unreadable" : ""))
        print("skipped: \(summary.withoutSender) without a sender, \(summary.withoutDate) without a date, \(summary.duplicates) seen twice (same Message-ID)")
        let span = [summary.first, summary.last].compactMap { $0 }.map { ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: TimeInterval($0))) }
        print("learnt \(summary.lessons) messages\(span.count == 2 ? " from \(span[0]) to \(span[1])" : ""): \(summary.outgoing) sent by the site, \(summary.inbound) received")
        print("\(summary.senders.count) senders in \(summary.senderDomains.count) domains; \(held)")
        if config.features.internalRegistrable.isEmpty {
            print("note: detection.internal_domains is empty, so no message counts as the site's own and no reply history was learnt")
        }
    }

    /// The configured store, written to directly (the daemon's learning queue is for live mail).
    private static func store(_ config: GannetConfig) throws -> any BaselineStore {
        let model = BaselineModel(settings: config.baselines.model)
        switch config.baselines.store {
        case .embedded:
            let path = BaselineService.databasePath(config)
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            do {
                return try PersistentBaselineStore(path: path, model: model, maxRecords: config.baselines.maxRecords)
            } catch {
                throw ValidationError("cannot open \(path): \(error)")
            }
        case .redis:
            return RedisBaselineStore(model: model, settings: config.baselines.redis)
        case .off:
            throw ValidationError("baselines.store is off")
        }
    }

    /// Writes what was learnt; what the store holds now.
    private static func finish(_ store: any BaselineStore) throws -> String {
        switch store {
        case let persistent as PersistentBaselineStore:
            do { try persistent.close() } catch { throw ValidationError("cannot write the baselines: \(error)") }
            return "the embedded store holds \(persistent.recordCount) records"
        case let redis as RedisBaselineStore:
            return redis.unsharedLessons == 0 ? "all lessons are in Redis" : "\(redis.unsharedLessons) lessons did not reach Redis (unreachable or busy); run the import again"
        default:
            return ""
        }
    }
}
