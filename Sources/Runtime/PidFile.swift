import Foundation

/// `<state_dir>/gannet.pid`: how `gannet reload` and `gannet deploy` find the running daemon.
public enum PidFile {
    public static func path(stateDirectory: String) -> String { stateDirectory + "/gannet.pid" }

    public static func write(stateDirectory: String) {
        try? "\(getpid())\n".write(toFile: path(stateDirectory: stateDirectory), atomically: true, encoding: .utf8)
    }

    public static func remove(stateDirectory: String) {
        unlink(path(stateDirectory: stateDirectory))
    }

    /// Sends SIGHUP to the daemon the pid file names; says what happened.
    public static func signalReload(stateDirectory: String) -> Result<Int32, SystemCallError> {
        signal(SIGHUP, stateDirectory: stateDirectory)
    }

    /// The daemon the pid file names, if that process exists.
    public static func running(stateDirectory: String) -> Result<Int32, SystemCallError> {
        signal(0, stateDirectory: stateDirectory)
    }

    private static func signal(_ number: Int32, stateDirectory: String) -> Result<Int32, SystemCallError> {
        guard let text = try? String(contentsOfFile: path(stateDirectory: stateDirectory), encoding: .utf8),
              let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)), pid > 1 else {
            return .failure(SystemCallError(call: "read \(path(stateDirectory: stateDirectory))", code: ENOENT))
        }
        guard kill(pid, number) == 0 else { return .failure(.last("kill(\(pid), \(number))")) }
        return .success(pid)
    }
}
