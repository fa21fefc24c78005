import Foundation
import Runtime
import Testing

/// The real release and hook commands, with /bin/sh standing in for postsuper.
@Suite struct HoldQueueCommandsTests {
    static func release(_ script: String, timeLimit: Duration = .seconds(10)) -> ReleaseResult {
        HoldQueueCommands(releaseCommand: ["/bin/sh", "-c", script, "postsuper"], hookCommand: [], timeLimit: timeLimit).release(queueID: "4ABC1")
    }

    @Test func postsupersSummarySaysWhetherAnythingWasHeld() {
        #expect(Self.release(#"echo "postsuper: Released from hold: 1 message" >&2"#) == .released)
        #expect(Self.release(#"echo "postsuper: Released from hold: 0 messages" >&2"#) == .notHeld)
        // Another command (a request for the root helper): its exit status alone counts, and
        // it proves nothing held. The queue id is its last argument.
        #expect(Self.release(#"test "$1" = 4ABC1"#) == .requested)
    }

    @Test func aFailingOrHangingCommandIsAFailure() {
        guard case .failed(let detail) = Self.release("echo fatal: not allowed >&2; exit 1") else { Issue.record("not a failure"); return }
        #expect(detail.contains("fatal: not allowed"))
        guard case .failed(let hung) = Self.release("sleep 30", timeLimit: .milliseconds(300)) else { Issue.record("not a failure"); return }
        #expect(hung.contains("killed"))
        let missing = HoldQueueCommands(releaseCommand: ["/nonexistent/postsuper"], hookCommand: [], timeLimit: .seconds(1)).release(queueID: "X")
        #expect(missing != .released && missing != .notHeld)
    }

    /// libmilter's sockets are not close-on-exec; a command must not hold them open.
    @Test func aCommandInheritsNoDescriptorButItsStandardOnes() {
        let inheritable = open("/dev/null", O_RDONLY)
        defer { close(inheritable) }
        guard case .failed(let listing) = Self.release("ls /proc/$$/fd; exit 1") else { Issue.record("not a failure"); return }
        let descriptors = Set(listing.split(whereSeparator: { !$0.isNumber }).compactMap { Int32($0) })
        #expect(descriptors.contains(2))
        #expect(!descriptors.contains(inheritable), "\(listing)")
        #expect(descriptors.isSubset(of: [0, 1, 2]), "\(listing)")
    }

    @Test func theHookGetsTheVerdictOnStdin() throws {
        let path = NSTemporaryDirectory() + "gannet-hook-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let commands = HoldQueueCommands(releaseCommand: ["/bin/true"], hookCommand: ["/bin/sh", "-c", "cat > \(path)"], timeLimit: .seconds(10))
        #expect(commands.remediate(verdictJSON: Array(#"{"queue_id":"Q1"}"#.utf8)) == .succeeded)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "{\"queue_id\":\"Q1\"}\n")
        // A hook that never reads its input (64 KiB: more than a pipe holds) is no threat.
        let deaf = HoldQueueCommands(releaseCommand: ["/bin/true"], hookCommand: ["/bin/true"], timeLimit: .seconds(10))
        #expect(deaf.remediate(verdictJSON: [UInt8](repeating: 0x20, count: 1 << 16)) == .succeeded)
        let none = HoldQueueCommands(releaseCommand: ["/bin/true"], hookCommand: [], timeLimit: .seconds(1))
        #expect(none.remediate(verdictJSON: []) == nil)
    }
}
