import ArgumentParser

/// Gannet: a mail-attack detection milter for Postfix.
struct Gannet: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gannet",
        abstract: "Mail-attack detection milter for Postfix.",
        subcommands: [Serve.self, Check.self, Score.self, ExplainCommand.self, FeaturesCommand.self, DatasetCommand.self, TrainCommand.self, EvalCommand.self, SimulateCommand.self, ReplayCommand.self, DeployCommand.self, RetrainCommand.self, ReloadCommand.self, RequestReleaseCommand.self, VerifyReleaseCommand.self, QuarantineCommand.self, ReportCommand.self, BaselinesCommand.self, VIPsCommand.self, LabelsCommand.self, ModelCommand.self]
    )
}

Gannet.main()
