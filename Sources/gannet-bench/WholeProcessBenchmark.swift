import Detection
import Foundation

/// Whole processes on the same folder, in the same run: `gannet score --json` on every core
/// against Python's standard `email` parser reading and decoding every part of every file.
/// Medians of `runs` wall-clock times, and their ratio.
enum WholeProcessBenchmark {
    static let pythonParse = """
        import email, email.policy, os, sys
        for directory, _, names in os.walk(sys.argv[1]):
            for name in sorted(names):
                with open(os.path.join(directory, name), 'rb') as stored:
                    message = email.message_from_binary_file(stored, policy=email.policy.default)
                for part in message.walk():
                    if not part.is_multipart():
                        try:
                            part.get_content()
                        except Exception:
                            part.get_payload(decode=True)
        """

    static func run(corpus: String, model: String, runs: Int = 3) {
        let gannet = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("gannet").path
        guard FileManager.default.isExecutableFile(atPath: gannet) else {
            return print("whole process: skipped, no gannet binary beside gannet-bench (build the gannet product in the same configuration)")
        }
        guard let python = ["/usr/bin/python3", "/usr/local/bin/python3"].first(where: FileManager.default.isExecutableFile(atPath:)) else {
            return print("whole process: skipped, no python3 to compare with")
        }
        let score = median(runs) { time(gannet, ["score", "--json", "--model", model, corpus]) }
        let parse = median(runs) { time(python, ["-c", pythonParse, corpus]) }
        print(String(format: "whole process over %@ (median of %d): gannet score --json %.2f s on %d cores, python email parse %.2f s; gannet %.1f× faster",
                     corpus as NSString, runs, score, ProcessInfo.processInfo.activeProcessorCount, parse, parse / score))
    }

    /// Each form of the model read, decoded and validated as the daemon loads it: medians of 5.
    static func modelLoad(_ path: String) {
        guard let stored = FileManager.default.contents(atPath: path), let document = try? ModelFile.decode([UInt8](stored)) else {
            return print("model load: skipped, cannot read \(path)")
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gannet-bench-\(getpid())").path
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var figures: [String] = []
        for form in [ModelFile.Form.json, .compact] {
            let file = "\(directory)/model.\(form == .json ? "json" : ModelFile.compactExtension)"
            guard (try? ModelFile.write(document, to: file)) != nil else { continue }
            let size = (try? FileManager.default.attributesOfItem(atPath: file)[.size] as? Int) ?? 0
            let seconds = median(5) {
                let started = Date()
                _ = try? ModelFile.load(file)
                return Date().timeIntervalSince(started)
            }
            figures.append(String(format: "%@ %.1f MB %.1f ms", form.rawValue, Double(size) / 1e6, seconds * 1e3))
        }
        print("model load (\(document.id), read + decode + validate, median of 5): " + figures.joined(separator: ", "))
    }

    private static func median(_ runs: Int, _ measure: () -> Double) -> Double {
        let times = (0..<max(1, runs)).map { _ in measure() }.sorted()
        return times[times.count / 2]
    }

    /// Wall-clock seconds of one run, its output discarded.
    private static func time(_ executable: String, _ arguments: [String]) -> Double {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        let started = Date()
        do { try process.run() } catch { return .nan }
        process.waitUntilExit()
        return Date().timeIntervalSince(started)
    }
}
