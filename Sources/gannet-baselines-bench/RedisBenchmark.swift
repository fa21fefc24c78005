import Baselines
import Features
import Foundation
import Training

/// Lesson throughput and lookup latency of the Redis store against a private redis-server
/// started on a free loopback port (and killed afterwards).
enum RedisBenchmark {
    static func run(population: SyntheticTenant, settings: BaselineSettings, lessons: Int, lookups: Int) throws {
        let binary = "/usr/bin/redis-server"
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            print("redis: skipped, \(binary) is missing (packaging/bootstrap.sh installs it)")
            return
        }
        guard let port = freeLoopbackPort() else {
            print("redis: skipped, no free loopback port")
            return
        }
        let server = Process()
        server.executableURL = URL(fileURLWithPath: binary)
        server.arguments = ["--port", "\(port)", "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--loglevel", "warning"]
        server.standardOutput = FileHandle.nullDevice
        try server.run()
        defer {
            // SIGKILL: a signal mask inherited from this process may block SIGTERM.
            kill(server.processIdentifier, SIGKILL)
            server.waitUntilExit()
        }
        var redisSettings = RedisSettings()
        redisSettings.port = port
        redisSettings.lookupTimeout = .milliseconds(2)
        let store = RedisBaselineStore(model: BaselineModel(settings: settings), settings: redisSettings)
        // Wait for the server: a lookup that does not fall back.
        let ready = Date().addingTimeInterval(10)
        var random = SplitMix64(seed: 11)
        while store.signals(for: population.message(at: SyntheticTenant.start, random: &random, knownSender: true))[.storeFallback] == 1 {
            guard Date() < ready else {
                print("redis: skipped, the server did not answer on port \(port)")
                return
            }
            Thread.sleep(forTimeInterval: 0.05)
        }

        let days: Int64 = 30
        let learning = Stopwatch()
        for index in 0..<lessons {
            let at = SyntheticTenant.start + Int64(index) * days * 86_400 / Int64(lessons)
            store.learn(BaselineObservation(message: population.message(at: at, random: &random, knownSender: true), outcome: .clean))
        }
        let learnSeconds = learning.seconds
        print(String(format: "redis learn (WATCH, MGET, MULTI/MSET/EXEC per lesson): %.0f lessons/s, %d not shared", Double(lessons) / learnSeconds, store.unsharedLessons))

        let now = SyntheticTenant.start + days * 86_400
        var times: [Double] = []
        var fallbacks = 0
        let clock = ContinuousClock()
        for index in 0..<lookups {
            let query = population.message(at: now + Int64(index), random: &random, knownSender: index % 5 != 0)
            let before = clock.now
            let signals = store.signals(for: query)
            times.append(Stopwatch.microseconds(clock.now - before))
            if signals[.storeFallback] == 1 { fallbacks += 1 }
        }
        times.sort()
        func percentile(_ p: Double) -> Double { times[min(times.count - 1, Int(Double(times.count) * p))] }
        print(String(format: "redis lookup (one MGET over loopback, budget 2 ms): p50 %.1f µs  p99 %.1f µs  fallbacks %d of %d", percentile(0.5), percentile(0.99), fallbacks, lookups))
    }

    /// A TCP port on 127.0.0.1 that was free a moment ago (bound to port 0, then released).
    private static func freeLoopbackPort() -> UInt16? {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) == 0 && getsockname(descriptor, $0, &length) == 0 }
        }
        return bound ? UInt16(bigEndian: address.sin_port) : nil
    }
}
