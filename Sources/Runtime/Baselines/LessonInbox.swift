import Baselines
import Features
import Foundation

/// Lessons from outside the daemon, one JSON file each in `<state_dir>/lessons`: an
/// administrator releasing a false positive from the quarantine teaches "clean" this way. The
/// daemon owns the store, so it takes them in itself (`BaselineService.startInbox`).
public struct LessonInbox: Sendable {
    public let directory: String

    public init(directory: String) {
        self.directory = directory
    }

    public static func directory(for config: GannetConfig) -> String {
        config.daemon.stateDirectory + "/lessons"
    }

    /// Creates the directory (the daemon does, so it owns it and can remove what root leaves).
    public func create() throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o750])
    }

    /// Leaves a lesson durably. Run as root (as `gannet quarantine` is), the file is handed to
    /// the directory's owner, so the daemon can read it.
    public func leave(_ observation: BaselineObservation, name: String) throws {
        let path = "\(directory)/\(name).json"
        try DurableFile.write(Array(try JSONEncoder().encode(observation)), to: path, ownedLikeDirectory: true)
    }

    /// Teaches every waiting lesson to `store` and removes it. A file that does not decode is
    /// removed and counted; one that cannot be read yet (still being handed over) waits.
    @discardableResult
    public func deliver(to store: some BaselineStore) -> (taught: Int, unreadable: Int) {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter { $0.hasSuffix(".json") && !$0.hasPrefix(".") }
        var taught = 0, unreadable = 0
        for name in names.sorted() {
            let path = "\(directory)/\(name)"
            guard let data = FileManager.default.contents(atPath: path) else { continue }
            if let observation = try? JSONDecoder().decode(BaselineObservation.self, from: data) {
                store.learn(observation)
                taught += 1
            } else {
                unreadable += 1
            }
            unlink(path)
        }
        return (taught, unreadable)
    }
}
