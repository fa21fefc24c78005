import ArgumentParser
import Training

/// `--jobs N` for the offline commands that work message by message.
struct JobsOption: ParsableArguments {
    @Option(name: .long, help: "Worker threads (default: one per core). Output is the same for any number.")
    var jobs: Int = OrderedParallelWork.defaultJobs

    func validate() throws {
        guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1") }
    }
}
