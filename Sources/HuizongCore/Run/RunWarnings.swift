/// What the operator of a finished run must hear of, each naming its file, folder or unit: a
/// missing inbox, files rejected whole, children missing or late, inbox entries skipped.
enum RunWarnings {
    static func collect(request r: MonthlyRun.RequestContext, plan: InputPlan, inputs: [FileSummary],
                        children: ChildrenTally) -> [RunWarning] {
        var out: [RunWarning] = []
        if let inbox = plan.missingInbox {
            out.append(RunWarning(.inboxMissing, inbox, "收件箱不存在：\(inbox)，本期没有读取任何新文件"
                + (r.level == .county ? "（只沿用上期汇总表）" : "") + " inbox folder missing: \(inbox); no new file was read for \(r.period)"
                + (r.level == .county ? " (only last month's table is carried forward)" : "")))
        }
        for b in inputs {
            guard let rej = b.rejection else { continue }
            out.append(RunWarning(.fileRejected, b.basename, "文件被整体拒收 file rejected whole: \(b.basename) — \(rej.rule.rawValue)"
                + (rej.detail.isEmpty ? " \(rej.rule.message)" : " \(rej.detail)")))
        }
        for c in children.missing {
            out.append(RunWarning(.childMissing, c, "下级未报送 child missing: \(c) sent nothing for \(r.period) (CHILD_MISSING)"))
        }
        for c in children.lateChildren {
            let file = children.dataFile(of: c) ?? c
            out.append(RunWarning(.childLate, file, "下级逾期报送 child late: \(c) \(file) arrived after the deadline (CHILD_LATE)"))
        }
        for s in plan.skipped {
            out.append(RunWarning(.fileSkipped, s.name, "文件未读取 file skipped: \(s.reason) (FILE_SKIPPED)"))
        }
        return out
    }
}
