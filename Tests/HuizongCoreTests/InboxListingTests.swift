import Foundation
import Testing
import HuizongTestSupport
@testable import HuizongCore

// Which inbox entries a run reads (SPEC 8.1): tables by name, lock and dot files passed over,
// submission parts beside their data file, everything else FILE_SKIPPED.

@Suite struct InboxListingTests {
    @Test func tablesLockFilesNotesFoldersAndSubmissionParts() throws {
        let dir = TempDir("inbox")
        for name in ["desk1.csv", "desk2.CSV.GZ", "desk3.xlsx", "OLD.XLS", "~$desk3.xlsx", ".hidden.csv",
                     "说明.txt", "scan.pdf", "110105-2012-09.csv.gz", "110105-2012-09.manifest.json",
                     "110105-2012-09.discrepancies.csv.gz", "110108-2012-09.manifest.json",
                     "x.discrepancies.csv.gz", "batch.csv.bak"] {
            dir.write(name, "x")
        }
        try FileManager.default.createDirectory(atPath: dir.url("旧批次"), withIntermediateDirectories: true)
        #expect(mkfifo(dir.url("pipe"), 0o600) == 0)
        #expect(symlink(dir.url("desk1.csv"), dir.url("link.csv")) == 0)
        #expect(symlink(dir.url("nowhere.csv"), dir.url("broken.csv")) == 0)
        #expect(symlink(dir.url("旧批次"), dir.url("folder.csv")) == 0)

        let listing = InboxListing(directory: dir.path)
        let read = listing.files.map { ($0 as NSString).lastPathComponent }
        #expect(read == ["110105-2012-09.csv.gz", "OLD.XLS", "desk1.csv", "desk2.CSV.GZ", "desk3.xlsx", "link.csv"])
        let skipped = listing.skipped.map(\.name)
        #expect(skipped == ["110108-2012-09.manifest.json", "batch.csv.bak", "broken.csv", "folder.csv", "pipe",
                            "scan.pdf", "x.discrepancies.csv.gz", "旧批次", "说明.txt"])
        for s in listing.skipped { #expect(s.reason.hasPrefix(s.name + "：")) }
    }

    @Test func emptyOrMissingInbox() {
        #expect(InboxListing(directory: "/nonexistent-huizong-inbox") == InboxListing(directory: "/nonexistent-huizong-inbox"))
        #expect(InboxListing(directory: "/nonexistent-huizong-inbox").files.isEmpty)
    }
}
