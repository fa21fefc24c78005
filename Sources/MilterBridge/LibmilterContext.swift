import CMilter
import FilterCore

/// The real `MilterContext`: every modification is one `smfi_*` call whose result is checked.
struct LibmilterContext: MilterContext {
    let context: OpaquePointer

    func macro(_ name: String) -> String? {
        name.withCString { symbol in
            smfi_getsymval(context, UnsafeMutablePointer(mutating: symbol)).map { String(cString: $0) }
        }
    }

    func apply(_ modification: MessageModification) throws(MilterCallError) {
        let status: Int32
        let call: String
        switch modification {
        case .addHeader(let name, let value):
            call = "smfi_addheader(\(name))"
            status = withCStrings(name, value) { smfi_addheader(context, $0, $1) }
        case .changeHeader(let name, let index, let value):
            call = "smfi_chgheader(\(name), \(index))"
            if let value {
                status = withCStrings(name, value) { smfi_chgheader(context, $0, Int32(index), $1) }
            } else {
                status = withCStrings(name, "") { name, _ in smfi_chgheader(context, name, Int32(index), nil) }
            }
        case .quarantine(let reason):
            call = "smfi_quarantine"
            status = withCStrings(reason, "") { reason, _ in smfi_quarantine(context, reason) }
        }
        guard status == MI_SUCCESS else { throw MilterCallError(call: call, detail: "MI_FAILURE") }
    }

    /// Sets the SMTP reply text that goes with a tempfail or reject.
    func setReply(code: String, extendedCode: String, message: String) {
        code.withCString { code in
            extendedCode.withCString { extended in
                // '%' would be read as a format directive by libmilter's reply formatter.
                message.replacingPercent.withCString { text in
                    _ = smfi_setreply(context, UnsafeMutablePointer(mutating: code), UnsafeMutablePointer(mutating: extended), UnsafeMutablePointer(mutating: text))
                }
            }
        }
    }
}

/// libmilter's prototypes take `char *` for strings it only reads.
private func withCStrings<R>(_ first: String, _ second: String, _ body: (UnsafeMutablePointer<CChar>, UnsafeMutablePointer<CChar>) -> R) -> R {
    first.withCString { one in
        second.withCString { two in
            body(UnsafeMutablePointer(mutating: one), UnsafeMutablePointer(mutating: two))
        }
    }
}

extension String {
    fileprivate var replacingPercent: String { String(map { $0 == "%" ? "_" : $0 }) }
}
