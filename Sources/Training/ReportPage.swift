import Foundation

/// report.html: one self-contained page (inline SVG, no scripts, no network) that a person
/// reads faster than report.json.
public enum ReportPage {
    public static func html(_ report: EvaluationReport, outcomes: [Evaluation.Outcome]) -> String {
        let attacks = outcomes.filter { $0.label != "ham" }.map(\.logOdds)
        let ham = outcomes.filter { $0.label == "ham" }.map(\.logOdds)
        var page = """
            <!doctype html><html lang="en"><head><meta charset="utf-8"><title>Gannet evaluation: \(escape(report.model))</title>
            <style>body{font:14px/1.4 system-ui,sans-serif;margin:2em;max-width:1100px;color:#222}h1{font-size:1.5em}
            table{border-collapse:collapse;margin:.5em 0 1.5em}td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}
            th{background:#f3f3f3}td.l,th.l{text-align:left}.plots{display:flex;gap:2em;flex-wrap:wrap}figure{margin:0}</style></head><body>
            <h1>Gannet evaluation — model \(escape(report.model))</h1>
            <p>\(report.messages.sorted { $0.key < $1.key }.map { "\($0.value) \(escape($0.key))" }.joined(separator: ", ")) messages.
            ROC AUC \(format(report.rocAUC, 4)); defer rate \(percent(report.deferRate)); inline/full agreement \(percent(report.inlineFullAgreement));
            inline decision p50 \(format(report.inlineMicrosecondsP50, 0)) µs, p99 \(format(report.inlineMicrosecondsP99, 0)) µs.</p>
            \(gapsTable(report.gaps))
            <div class="plots"><figure>\(rocSVG(attacks: attacks, ham: ham))<figcaption>ROC, false-positive rate 0–5%</figcaption></figure>
            <figure>\(precisionRecallSVG(attacks: attacks, ham: ham))<figcaption>Precision against recall, precision 90–100%</figcaption></figure>
            <figure>\(histogramSVG(outcomes))<figcaption>Score histograms per label (log scale)</figcaption></figure></div>
            <h2>Recall at ham false-positive rate</h2><table><tr><th class="l">rate</th><th>recall (all attacks)</th></tr>
            """
        for (rate, recall) in report.recallAtFalsePositiveRate.sorted(by: { Double($0.key)! > Double($1.key)! }) {
            page += "<tr><td class=\"l\">\(rate)</td><td>\(percent(recall))</td></tr>"
        }
        page += "</table><table><tr><th class=\"l\">label</th><th>recall at 0.1%</th></tr>"
        for (label, recall) in report.recallAtOneInAThousandByLabel.sorted(by: { $0.key < $1.key }) { page += "<tr><td class=\"l\">\(escape(label))</td><td>\(percent(recall))</td></tr>" }
        page += "</table><h2>Decisions at the shipped thresholds</h2><table><tr><th class=\"l\">label</th><th>accept</th><th>quarantine</th></tr>"
        for (label, counts) in report.confusion.sorted(by: { $0.key < $1.key }) {
            page += "<tr><td class=\"l\">\(escape(label))</td><td>\(counts["accept"] ?? 0)</td><td>\(counts["quarantine"] ?? 0)</td></tr>"
        }
        page += "</table><h2>By source</h2><p>Recall of all attacks with the threshold set on one ham source's log-odds alone.</p>"
        page += "<table><tr><th class=\"l\">source</th><th class=\"l\">kind</th><th>messages</th><th>quarantined</th><th>recall at 1% of its ham</th><th>recall at 0.1% of its ham</th></tr>"
        for figures in report.bySource {
            let worst = figures.kind == "ham" && figures.source == report.worstHamSource ? " (worst ham source)" : ""
            let recall = ["0.01", "0.001"].map { figures.recallAtFalsePositiveRate?[$0].map(percent) ?? "" }
            page += "<tr><td class=\"l\">\(escape(figures.name))\(worst)</td><td class=\"l\">\(figures.kind)</td><td>\(figures.messages)</td>"
                + "<td>\(figures.quarantined) (\(percent(figures.quarantinedShare)))</td><td>\(recall[0])</td><td>\(recall[1])</td></tr>"
        }
        page += "</table>"
        if let folds = report.holdout { page += holdoutTable(folds) }
        page += "<h2>Quarantined by attack category</h2><table><tr><th class=\"l\">category</th><th>quarantined</th></tr>"
        for (category, recall) in report.recallByCategory.sorted(by: { $0.key < $1.key }) { page += "<tr><td class=\"l\">\(escape(category))</td><td>\(percent(recall))</td></tr>" }
        page += "</table><h2>Full-model recall without each feature group</h2><table><tr><th class=\"l\">removed</th><th>recall</th></tr>"
        for (group, recall) in report.recallWithoutGroup.sorted(by: { $0.key < $1.key }) { page += "<tr><td class=\"l\">\(escape(group))</td><td>\(percent(recall))</td></tr>" }
        page += "</table>"
        for (title, list) in [("False negatives (attacks accepted)", report.falseNegatives), ("False positives (ham quarantined)", report.falsePositives)] {
            page += "<h2>\(title): \(list.count)</h2><table><tr><th class=\"l\">message</th><th class=\"l\">category</th><th>score</th><th>log-odds</th><th class=\"l\">top reasons</th></tr>"
            for outcome in list.prefix(200) {
                page += "<tr><td class=\"l\">\(escape(outcome.path))</td><td class=\"l\">\(escape(outcome.category))</td><td>\(format(outcome.score, 3))</td><td>\(format(outcome.logOdds, 2))</td><td class=\"l\">\(escape(outcome.reasons.prefix(4).joined(separator: ", ")))</td></tr>"
            }
            page += "</table>"
        }
        return page + "</body></html>\n"
    }

    /// The largest capability gaps; report.json has them all.
    static func gapsTable(_ gaps: [CapabilityGapReport.Gap]) -> String {
        var table = "<h2>Capability gaps: \(gaps.count)</h2><table><tr><th class=\"l\">gap</th><th>count</th><th class=\"l\">leading reasons</th><th class=\"l\">examples</th></tr>"
        for gap in gaps.prefix(50) {
            table += "<tr><td class=\"l\">\(escape(gap.name))</td><td>\(gap.count)</td><td class=\"l\">\(escape(gap.leadingReasons.joined(separator: ", ")))</td>"
                + "<td class=\"l\">\(gap.examples.map(escape).joined(separator: "<br>"))</td></tr>"
        }
        return table + "</table>" + (gaps.count > 50 ? "<p>\(gaps.count - 50) smaller gaps are in report.json.</p>" : "")
    }

    static func rocSVG(attacks: [Double], ham: [Double]) -> String {
        let points = EvaluationMetrics.rocCurve(attacks: attacks, ham: ham).filter { $0.falsePositiveRate <= 0.05 }
        let path = points.map { String(format: "%.1f,%.1f", 40 + $0.falsePositiveRate / 0.05 * 340, 330 - $0.recall * 300) }.joined(separator: " ")
        return """
            <svg xmlns="http://www.w3.org/2000/svg" width="400" height="360" role="img"><rect x="40" y="30" width="340" height="300" fill="none" stroke="#999"/>
            <polyline points="\(path)" fill="none" stroke="#1565c0" stroke-width="2"/>
            <text x="40" y="350" font-size="11">0%</text><text x="355" y="350" font-size="11">5%</text>
            <text x="5" y="35" font-size="11">100%</text><text x="15" y="332" font-size="11">0%</text>
            <text x="150" y="20" font-size="12">recall vs false-positive rate</text></svg>
            """
    }

    static func precisionRecallSVG(attacks: [Double], ham: [Double]) -> String {
        let points = EvaluationMetrics.precisionRecallCurve(attacks: attacks, ham: ham)
        let path = points.map { String(format: "%.1f,%.1f", 40 + $0.recall * 340, 330 - max(0, $0.precision - 0.9) / 0.1 * 300) }.joined(separator: " ")
        return """
            <svg xmlns="http://www.w3.org/2000/svg" width="400" height="360" role="img"><rect x="40" y="30" width="340" height="300" fill="none" stroke="#999"/>
            <polyline points="\(path)" fill="none" stroke="#6a1b9a" stroke-width="2"/>
            <text x="40" y="350" font-size="11">recall 0%</text><text x="345" y="350" font-size="11">100%</text>
            <text x="5" y="35" font-size="11">100%</text><text x="10" y="332" font-size="11">90%</text>
            <text x="150" y="20" font-size="12">precision vs recall</text></svg>
            """
    }

    static func histogramSVG(_ outcomes: [Evaluation.Outcome]) -> String {
        let labels = Array(Set(outcomes.map(\.label))).sorted()
        let colours = ["ham": "#2e7d32", "phish": "#c62828", "spam": "#ef6c00"]
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"420\" height=\"360\" role=\"img\"><rect x=\"40\" y=\"30\" width=\"360\" height=\"300\" fill=\"none\" stroke=\"#999\"/>"
        for (slot, label) in labels.enumerated() {
            var bins = [Int](repeating: 0, count: 20)
            for outcome in outcomes where outcome.label == label { bins[min(19, Int(outcome.score * 20))] += 1 }
            for (bin, count) in bins.enumerated() where count > 0 {
                let height = log10(Double(count) + 1) / 4 * 300
                let x = 40 + Double(bin) * 18 + Double(slot) * 6
                svg += String(format: "<rect x=\"%.1f\" y=\"%.1f\" width=\"5\" height=\"%.1f\" fill=\"%@\"/>", x, 330 - height, height, colours[label] ?? "#555")
            }
            svg += "<text x=\"\(60 + slot * 70)\" y=\"20\" font-size=\"12\" fill=\"\(colours[label] ?? "#555")\">\(escape(label))</text>"
        }
        return svg + "<text x=\"40\" y=\"350\" font-size=\"11\">score 0</text><text x=\"375\" y=\"350\" font-size=\"11\">1</text></svg>"
    }

    /// Each held-out source family: how its ham fared under a model that never saw it.
    static func holdoutTable(_ folds: [SourceHoldout.Fold]) -> String {
        let worst = SourceHoldout.worst(folds)?.heldOut
        var table = "<h2>Leave one source out</h2><p>Each ham source family held out of training, then its ham and the test attacks scored; judge by the worst.</p>"
            + "<table><tr><th class=\"l\">held out</th><th>ham</th><th>ham quarantined</th><th>attack recall at the fold's thresholds</th>"
            + "<th>recall at 1% of its ham</th><th>recall at 0.1% of its ham</th><th>score for 0.1%</th></tr>"
        for fold in folds {
            let mark = fold.heldOut == worst ? " (worst)" : ""
            table += "<tr><td class=\"l\">\(escape(fold.heldOut))\(mark)</td><td>\(fold.hamMessages)</td><td>\(fold.hamQuarantined)</td>"
                + "<td>\(percent(fold.attackRecallAtModelThresholds))</td><td>\(percent(fold.recallAtFalsePositiveRate["0.01"] ?? 0))</td>"
                + "<td>\(percent(fold.recallAtFalsePositiveRate["0.001"] ?? 0))</td><td>\(format(fold.scoreThresholdAtOneInAThousand, 4))</td></tr>"
        }
        return table + "</table>"
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    static func format(_ value: Double, _ digits: Int) -> String { String(format: "%.\(digits)f", value) }
    static func percent(_ value: Double) -> String { String(format: "%.2f%%", value * 100) }
}
