import Foundation
import Testing

/// `gannet eval`'s report.html, as a person opens it: rendered by headless Chromium.
@Suite(.enabled(if: TestTools.missing(["chromium"]) == nil, "\(TestTools.missing(["chromium"]) ?? "")"))
struct ReportPageTests {
    @Test func theReportRendersWithItsPlotsInHeadlessChromium() throws {
        let directory = try TestTools.temporaryDirectory("report")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let fixtures = TestTools.packageRoot.appendingPathComponent("Tests/IntegrationTests/Fixtures").path
        var manifest = "path\tlabel\tsource\tsplit\n"
        for name in try FileManager.default.contentsOfDirectory(atPath: "\(fixtures)/ordinary-mail").sorted() {
            manifest += "\(fixtures)/ordinary-mail/\(name)\tham\tfixtures\ttest\n"
        }
        manifest += "\(fixtures)/phishing/m365.eml\tphish\tfixtures\ttest\n"
        try manifest.write(toFile: "\(directory)/manifest.tsv", atomically: true, encoding: .utf8)
        let model = TestTools.packageRoot.appendingPathComponent("etc/gannet/model.gmodel").path
        let eval = try Command.run(TestTools.gannetBinary, ["eval", "--model", model, "--manifest", "\(directory)/manifest.tsv", "--split", "test",
                                                             "--report", "\(directory)/report"])
        #expect(eval.status == 0, "\(eval.combined)")

        let page = "file://\(directory)/report/report.html"
        let chromium = ["--headless", "--no-sandbox", "--disable-gpu", "--user-data-dir=\(directory)/profile"]
        let dom = try Command.run(TestTools.which("chromium")!, chromium + ["--dump-dom", page])
        #expect(dom.status == 0, "\(dom.combined)")
        // The browser parsed three plots (ROC, precision-recall, histograms) and the tables.
        #expect(dom.output.components(separatedBy: "<svg").count - 1 == 3)
        #expect(dom.output.components(separatedBy: "<polyline").count - 1 == 2)
        #expect(dom.output.contains("Recall at ham false-positive rate") && dom.output.contains("6 ham, 1 phish messages"))

        let shot = try Command.run(TestTools.which("chromium")!, chromium + ["--screenshot=\(directory)/page.png", "--window-size=1200,1400", page])
        #expect(shot.status == 0, "\(shot.combined)")
        let png = try Data(contentsOf: URL(fileURLWithPath: "\(directory)/page.png"))
        #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]))
        #expect(png.count > 20_000, "a page with plots and tables, not a blank one (\(png.count) bytes)")
    }
}
