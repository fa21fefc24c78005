import Foundation

/// One message in Postfix's queue, as `postqueue -j` describes it.
public struct QueuedMessage: Sendable, Equatable, Decodable {
    public struct Recipient: Sendable, Equatable, Decodable {
        public let address: String
        /// Why delivery is delayed, when it is.
        public let delayReason: String?

        enum CodingKeys: String, CodingKey {
            case address
            case delayReason = "delay_reason"
        }

        public init(address: String, delayReason: String? = nil) {
            self.address = address
            self.delayReason = delayReason
        }
    }

    /// `hold`, `incoming`, `active`, `deferred` or `maildrop`.
    public let queueName: String
    public let queueID: String
    /// Seconds since the epoch.
    public let arrivalTime: Double
    public let messageSize: Int
    public let sender: String
    public let recipients: [Recipient]

    enum CodingKeys: String, CodingKey {
        case recipients, sender
        case queueName = "queue_name"
        case queueID = "queue_id"
        case arrivalTime = "arrival_time"
        case messageSize = "message_size"
    }

    public init(queueName: String, queueID: String, arrivalTime: Double, messageSize: Int, sender: String, recipients: [Recipient]) {
        self.queueName = queueName
        self.queueID = queueID
        self.arrivalTime = arrivalTime
        self.messageSize = messageSize
        self.sender = sender
        self.recipients = recipients
    }

    /// Every line of `postqueue -j` output that describes a message; other lines are skipped.
    public static func parseListing(_ output: [UInt8]) -> [QueuedMessage] {
        let decoder = JSONDecoder()
        return output.split(separator: UInt8(ascii: "\n")).compactMap { try? decoder.decode(QueuedMessage.self, from: Data($0)) }
    }

    /// Postfix queue ids are letters and digits; anything else (an option, `ALL`) is refused
    /// before it reaches postsuper.
    public static func isQueueID(_ text: String) -> Bool {
        !text.isEmpty && text.count <= 64 && text != "ALL" && text.utf8.allSatisfy { (48...57).contains($0) || (65...90).contains($0) || (97...122).contains($0) }
    }
}
