/// Who a simulated tenant's users correspond with: colleagues in the tenant's domain (one of
/// them the chief executive), each user's external contacts at vendor domains, newsletters
/// with fixed subscribers. Built from a seed, so a stream can be replayed exactly.
public struct TenantGraph: Sendable {
    public static let domain = "corp.example"

    public struct Person: Sendable, Equatable {
        public let address: String
        public let name: String
    }

    /// An outside correspondent of one user.
    public struct Contact: Sendable, Equatable {
        public let person: Person
        public let vendor: Int
        public let user: Int
    }

    public struct Newsletter: Sendable, Equatable {
        public let envelopeSender: String
        public let from: Person
        public let subscribers: [Int]
    }

    public let users: [Person]
    /// Users 1–10 handle payments: what payment fraud aims at.
    public let financeUsers = Array(1...10)
    public let contacts: [Contact]
    /// Each user's contacts, as indices into `contacts`.
    public let contactsOfUser: [[Int]]
    public let newsletters: [Newsletter]

    /// User 0.
    public var executive: Person { users[0] }

    static let firstNames = ["Dana", "Alex", "Priya", "Marcus", "Lena", "Tomás", "Grace", "Yusuf", "Ingrid", "Kenji",
                             "Amara", "Oliver", "Sofia", "Rahul", "Chloe", "Mateo", "Hannah", "Wei", "Nadia", "Samuel"]
    static let lastNames = ["Whitfield", "Novak", "Okafor", "Lindqvist", "Moreau", "Castillo", "Brennan", "Haddad", "Tanaka", "Schultz",
                            "Ferreira", "Kowalski", "Mensah", "Rossi", "Patel", "Dubois", "Andersen", "Nakamura", "Quinn", "Abara"]

    /// Outside people's surnames differ from the tenant's, so no contact shares a user's name.
    static let outsideLastNames = ["Harper", "Vance", "Ibarra", "Sorensen", "Achebe", "Laurent", "Whitaker", "Kaur", "Fitzgerald", "Molina",
                                   "Sato", "Bergstrom", "Oyelaran", "Costa", "Nguyen", "Hale", "Petrov", "Delgado", "Mercer", "Ashworth"]

    static func name(_ index: Int, lastNames: [String] = lastNames) -> String {
        "\(firstNames[index % firstNames.count]) \(lastNames[index / firstNames.count % lastNames.count])"
    }

    static func localPart(_ name: String) -> String {
        String(name.lowercased().map { $0 == " " ? "." : $0 }.filter { $0.isASCII })
    }

    public init(userCount: Int = 200, vendorCount: Int = 150, random: inout SplitMix64) {
        users = (0..<userCount).map { index in
            let name = Self.name(index)
            return Person(address: "\(Self.localPart(name)).\(index)@\(Self.domain)", name: name)
        }
        // Four to twelve contacts a user, from six people at each vendor.
        var contacts: [Contact] = []
        var ofUser = [[Int]](repeating: [], count: userCount)
        for user in 0..<userCount {
            for _ in 0..<(4 + random.below(9)) {
                let vendor = random.below(vendorCount), person = random.below(6)
                let name = Self.name(vendor * 6 + person, lastNames: Self.outsideLastNames)
                ofUser[user].append(contacts.count)
                contacts.append(Contact(person: Person(address: "\(Self.localPart(name))@vendor\(vendor).example", name: name), vendor: vendor, user: user))
            }
        }
        self.contacts = contacts
        contactsOfUser = ofUser
        newsletters = (0..<30).map { letter in
            Newsletter(envelopeSender: "bounce-\(letter)@news\(letter).example", from: Person(address: "news@news\(letter).example", name: "News Digest \(letter)"),
                       subscribers: (0..<40).map { ($0 * 5 + letter) % userCount })
        }
    }
}
