import Foundation

/// A directory of release requests, one empty-named file per queue id, for the packaged
/// set-up: the sandboxed daemon cannot run postsuper (it needs root), so it leaves a
/// request here and a root helper started by systemd (gannet-release.path) releases it.
public struct ReleaseRequests: Sendable {
    public let directory: String

    public init(directory: String) {
        self.directory = directory
    }

    /// Writes the request durably: once this returns, a crash cannot lose it.
    public func request(queueID: String) throws(SystemCallError) {
        guard QueuedMessage.isQueueID(queueID) else { throw SystemCallError(call: "request release of '\(queueID)'", code: EINVAL) }
        try DurableFile.write([], to: directory + "/" + queueID)
    }
}
