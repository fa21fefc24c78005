import Foundation
import Testing

/// packaging/build-deb.sh builds a package that needs no Swift toolchain, has the files,
/// dependencies and conffiles it should, and installs, checks, removes and purges cleanly
/// (packaging/try-deb.sh, in a throwaway overlay of this machine), and its daemon filters mail
/// through a private Postfix on the packaged configuration and model. The static release build
/// takes minutes the first time; later runs reuse .build/static.
@Suite(.serialized, .enabled(if: DebianPackageTools.missing == nil, "\(DebianPackageTools.missing ?? "")"))
struct DebianPackageTests {
    @Test func thePackageBuildsInstallsAndPurges() throws {
        let directory = try TestTools.temporaryDirectory("deb")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let built = try Command.run(TestTools.script("build-deb.sh"), ["--version", "0.1.0~test", "--out", directory])
        #expect(built.status == 0, "\(built.combined.suffix(4_000))")
        let deb = built.output.split(separator: "\n").last.map(String.init) ?? ""
        #expect(deb == "\(directory)/gannet_0.1.0~test_amd64.deb")

        let info = try Command.run("dpkg-deb", ["-I", deb])
        #expect(info.status == 0, "\(info.combined)")
        let depends = try Command.run("dpkg-deb", ["-f", deb, "Depends"]).output
        for package in ["libmilter1.0.1", "libsystemd0", "libc6", "postfix", "adduser"] {
            #expect(depends.contains(package), "Depends: \(depends)")
        }
        #expect(!depends.lowercased().contains("swift"), "Depends: \(depends)")

        let contents = try Command.run("dpkg-deb", ["-c", deb]).output
        for path in ["./usr/bin/gannet", "./usr/lib/gannet/release-held.sh", "./lib/systemd/system/gannet.service", "./lib/systemd/system/gannet-release.path",
                     "./lib/systemd/system/gannet-retrain.timer", "./etc/gannet/gannet.toml", "./usr/share/gannet/model.gmodel", "./etc/gannet/rules.gannet",
                     "./usr/share/doc/gannet/copyright", "./usr/share/gannet/prometheus/gannet-alerts.yml", "./usr/share/man/man8/gannet.8.gz"] {
            #expect(contents.contains(" \(path)\n"), "\(path) missing from:\n\(contents)")
        }
        // Owned by root whoever built it (dpkg-deb --root-owner-group).
        #expect(contents.split(separator: "\n").allSatisfy { $0.contains(" root/root ") }, "\(contents)")

        let control = "\(directory)/control"
        #expect(try Command.run("dpkg-deb", ["-e", deb, control]).status == 0)
        let conffiles = try String(contentsOfFile: "\(control)/conffiles", encoding: .utf8)
        #expect(conffiles == "/etc/gannet/gannet.toml\n/etc/gannet/rules.gannet\n")

        let extracted = "\(directory)/root"
        #expect(try Command.run("dpkg-deb", ["-x", deb, extracted]).status == 0)
        let config = try String(contentsOfFile: "\(extracted)/etc/gannet/gannet.toml", encoding: .utf8)
        #expect(config.contains("\nmodel = \"/var/lib/gannet/model.gmodel\"\n") && config.contains("\nrules = \"/etc/gannet/rules.gannet\"\n"))
        let libraries = try Command.run("ldd", ["\(extracted)/usr/bin/gannet"]).output
        #expect(libraries.contains("libmilter.so") && libraries.contains("libsystemd.so"), "\(libraries)")
        #expect(!libraries.contains("libswift") && !libraries.contains("not found"), "\(libraries)")

        let tried = try Command.run(TestTools.script("try-deb.sh"), [deb])
        #expect(tried.status == 0, "\(tried.combined)")
        #expect(tried.output.contains("smtpd_milters = unix:gannet/milter.sock"), "\(tried.output)")
        // The packaged configuration, model and rules pass the daemon's own validation.
        #expect(tried.output.contains("/etc/gannet/gannet.toml: OK") && !tried.output.contains("model: none"), "\(tried.output)")
        #expect(tried.output.range(of: #"gannet\b.*\bpostfix\b"#, options: .regularExpression) != nil, "\(tried.output)")
        #expect(tried.output.contains("/gannet gannet:postfix 2750"), "\(tried.output)")
        for check in ["configuration not writable by gannet", "model in service is the shipped one", "no unit enabled", "daemon listening", "delivered with its verdict header", "configuration kept", "state kept", "binary removed", "configuration purged", "state purged"] {
            #expect(tried.output.contains("ok: \(check)"), "\(tried.output)")
        }
    }
}

/// What building and trying the package needs (packaging/bootstrap.sh installs it).
enum DebianPackageTools {
    static let missing = TestTools.missing(["dpkg-deb", "dpkg-shlibdeps", "strip", "unshare", "swaks", "postfix"], needsRoot: true)
}
