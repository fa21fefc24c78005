import Foundation
import MailParsing
import Testing

/// Every message of the shared corpus parses the same in 7-byte and 65,535-byte chunks.
@Suite(.enabled(if: SharedCorpus.available, "skipped: ../shared/corpus is not beside the checkout"))
struct CorpusChunkingTests {
    @Test func everyCorpusMessageParsesTheSameAt7And65535ByteChunks() async throws {
        let paths = try SharedCorpus.messagePaths()
        #expect(paths.count > 1_000)
        // Two workers share the list; each message is independent.
        let mismatches = await withTaskGroup(of: [String].self) { group in
            let workers = 2
            for worker in 0..<workers {
                group.addTask {
                    var bad: [String] = []
                    for index in stride(from: worker, to: paths.count, by: workers) {
                        guard let data = FileManager.default.contents(atPath: paths[index]) else { continue }
                        let bytes = [UInt8](data)
                        let (small, smallStructure) = ParseRecord.parse(bytes, chunkSize: 7)
                        let (large, largeStructure) = ParseRecord.parse(bytes, chunkSize: 65_535)
                        if small != large || smallStructure != largeStructure { bad.append(paths[index]) }
                    }
                    return bad
                }
            }
            var all: [String] = []
            for await bad in group { all += bad }
            return all
        }
        #expect(mismatches.isEmpty, "chunking changed the parse of: \(mismatches.prefix(10))")
    }
}

enum SharedCorpus {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/corpus")

    static var available: Bool { FileManager.default.fileExists(atPath: root.appendingPathComponent("manifest.tsv").path) }

    /// Paths from manifest.tsv, in manifest order.
    static func messagePaths() throws -> [String] {
        let manifest = try String(contentsOf: root.appendingPathComponent("manifest.tsv"), encoding: .utf8)
        return manifest.split(separator: "\n").dropFirst().compactMap { line in
            line.split(separator: "\t").first.map { root.appendingPathComponent(String($0)).path }
        }
    }
}
