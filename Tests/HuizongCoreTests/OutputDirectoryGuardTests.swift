import Foundation
import HuizongTestSupport
@testable import HuizongCore
import Testing

// SPEC 7 and 8.5, "the output directory is the run's alone": a run refuses (exit 1, nothing
// written, nothing removed) when its output directory is not a directory, holds anything but this
// unit and period's three outputs, or is or contains U's inbox or an input's folder; a layout
// whose outbox can be an inbox and a pipeline.json with a duplicate key are configuration errors.
// Each case is one of issue 9's reproductions: before the fix the swap deleted the inputs.

@Suite struct OutputDirectoryGuardTests {
    static let outputs = ["110105-2012-09.csv.gz", "110105-2012-09.discrepancies.csv.gz", "110105-2012-09.manifest.json"]

    /// Every file under the directory with its bytes, for "nothing changed" checks.
    static func snapshot(_ dir: TempDir) -> [String: [UInt8]] {
        var out: [String: [UInt8]] = [:]
        for p in dir.tree() {
            var isDir: ObjCBool = false
            if FileManager.default.fileExists(atPath: dir.url(p), isDirectory: &isDir), !isDir.boolValue {
                out[p] = dir.read(p)
            } else {
                out[p + "/"] = []
            }
        }
        return out
    }

    func run(_ dir: TempDir, out: String, files: [String], unit: String = "110105") throws -> ProcessResult {
        try aggregate(["run", "--unit", unit, "--period", "2012-09", "--out", out, "--as-of", defaultAsOf] + files, cwd: dir.path)
    }

    @Test func outIsTheInputsFolder() throws {
        let dir = TempDir("out-in")
        dir.write("in/clean.csv", readBytes(Paths.fixtures + "/clean.csv"))
        let before = Self.snapshot(dir)
        for out in ["in", "in/", "./in", "in/.", "in//"] {
            let r = try run(dir, out: out, files: ["in/clean.csv"])
            #expect(r.status == 1, "--out \(out): exit \(r.status)")
            #expect(r.stderr.contains("in"), "\(r.stderr)")
            #expect(Self.snapshot(dir) == before, "--out \(out): the tree changed")
        }
    }

    @Test func outContainsTheInputsFolder() throws {
        let dir = TempDir("out-parent")
        dir.write("batches/in/clean.csv", readBytes(Paths.fixtures + "/clean.csv"))
        let before = Self.snapshot(dir)
        let r = try run(dir, out: "batches", files: ["batches/in/clean.csv"])
        #expect(r.status == 1)
        #expect(Self.snapshot(dir) == before)
        // Through a symbolic link to the folder: compared as real paths.
        symlink(dir.url("batches/in"), dir.url("link"))
        let before2 = Self.snapshot(dir)
        let viaLink = try run(dir, out: "batches", files: ["link/clean.csv"])
        #expect(viaLink.status == 1)
        #expect(Self.snapshot(dir) == before2)
    }

    @Test func outBesideOrBelowTheInputsIsFine() throws {
        let dir = TempDir("out-below")
        dir.write("in/clean.csv", readBytes(Paths.fixtures + "/clean.csv"))
        let below = try run(dir, out: "in/out", files: ["in/clean.csv"])
        #expect(below.status == 0, "\(below.stderr)")
        #expect(dir.list("in/out") == Self.outputs)
        let beside = try run(dir, out: "out", files: ["in/clean.csv"])
        #expect(beside.status == 0, "\(beside.stderr)")
        #expect(dir.exists("in/clean.csv"))
    }

    @Test func outIsAFile() throws {
        let dir = TempDir("out-file")
        dir.write("in/clean.csv", readBytes(Paths.fixtures + "/clean.csv"))
        dir.write("somefile", "keep me")
        let before = Self.snapshot(dir)
        let r = try run(dir, out: "somefile", files: ["in/clean.csv"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("somefile"))
        #expect(Self.snapshot(dir) == before)
    }

    @Test func outIsASymbolicLink() throws {
        let dir = TempDir("out-link")
        dir.write("in/clean.csv", readBytes(Paths.fixtures + "/clean.csv"))
        try FileManager.default.createDirectory(atPath: dir.url("real"), withIntermediateDirectories: true)
        symlink(dir.url("real"), dir.url("out"))
        let before = Self.snapshot(dir)
        let r = try run(dir, out: "out", files: ["in/clean.csv"])
        #expect(r.status == 1)
        #expect(Self.snapshot(dir) == before)
    }

    /// The old contract swapped a stray file away with the previous set; now the run names it and
    /// stops, leaving everything as it was.
    @Test func aStrayFileIsNamedAndNothingIsTouched() throws {
        let dir = TempDir("stray")
        dir.write("in/a.csv", summaryText(threePeople()))
        let first = try run(dir, out: "out", files: ["in/a.csv"])
        #expect(first.status == 0)
        dir.write("out/说明.txt", "an official's note")
        dir.write("out/110105-2012-08.csv.gz", "another period's file")
        let before = Self.snapshot(dir)
        let r = try run(dir, out: "out", files: ["in/a.csv"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("说明.txt") && r.stderr.contains("110105-2012-08.csv.gz"), "\(r.stderr)")
        #expect(Self.snapshot(dir) == before)
        // A subfolder named like an output is not an output either.
        let dir2 = TempDir("stray-dir")
        dir2.write("in/a.csv", summaryText(threePeople()))
        dir2.write("out/110105-2012-09.csv.gz/inner.txt", "x")
        let r2 = try run(dir2, out: "out", files: ["in/a.csv"])
        #expect(r2.status == 1)
        #expect(dir2.exists("out/110105-2012-09.csv.gz/inner.txt"))
    }

    @Test func aSecondUnitIntoTheSameOutIsRefused() throws {
        let dir = TempDir("two-units")
        dir.write("in/a.csv", summaryText(threePeople()))
        dir.write("in/b.csv", summaryText([Person.number(7, region: "110108")]))
        let first = try run(dir, out: "out", files: ["in/a.csv"])
        #expect(first.status == 0)
        let before = Self.snapshot(dir)
        let second = try run(dir, out: "out", files: ["in/b.csv"], unit: "110108")
        #expect(second.status == 1)
        #expect(second.stderr.contains("110105-2012-09.manifest.json"), "\(second.stderr)")
        #expect(Self.snapshot(dir) == before)
        #expect(dir.list("out") == Self.outputs)
    }

    @Test func theLockMessageNamesTheRunHoldingIt() throws {
        let dir = TempDir("lock-holder")
        let out = dir.url("out")
        let held = try RunLock(outputDirectory: out, holder: "110108 2012-09")
        defer { withExtendedLifetime(held) {} }
        do {
            _ = try RunLock(outputDirectory: out, holder: "110105 2012-09")
            Issue.record("the second lock was granted")
        } catch .held(let who) {
            #expect(who == "110108 2012-09")
            let message = RunLock.heldMessage(holder: who, outputDirectory: out)
            #expect(message.contains("110108 2012-09") && !message.contains("110105"))
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    // MARK: the layout and pipeline.json

    static func pipeline(layout: String, extra: String = "") -> String {
        """
        {
          "cohort": 2012,
          "layout": \(layout),\(extra)
          "units": [
            {"code": "110100", "name": "北京市市辖区", "level": "city"},
            {"code": "110105", "name": "朝阳区", "level": "county", "parent": "110100"}
          ]
        }
        """
    }

    @Test(arguments: [
        "data/{unit}/inbox/{period}/", "./data/{unit}/inbox/{period}", "data/{unit}/./inbox/{period}",
        "data//{unit}/inbox/{period}", "data/{unit}", "data/{unit}/inbox", "./data/{unit}/inbox/{period}/.",
    ])
    func anOutboxThatCanBeAnInboxIsAConfigurationError(outbox: String) throws {
        let dir = TempDir("layout")
        dir.write("pipeline.json", Self.pipeline(layout: "{\"inbox\": \"data/{unit}/inbox/{period}\", \"outbox\": \"\(outbox)\"}"))
        dir.write("data/110105/inbox/2012-09/clean.csv", readBytes(Paths.fixtures + "/clean.csv"))
        let before = Self.snapshot(dir)
        let r = try aggregate(["run", "--config", "pipeline.json", "--unit", "110105", "--period", "2012-09",
                               "--as-of", defaultAsOf], cwd: dir.path)
        #expect(r.status == 1, "\(outbox): exit \(r.status)")
        #expect(r.stderr.contains("layout.outbox"), "\(r.stderr)")
        #expect(Self.snapshot(dir) == before, "\(outbox): the tree changed")
    }

    @Test func anOutboxAboveTheInboxIsAConfigurationError() throws {
        let text = Self.pipeline(layout: "{\"inbox\": \"d/{period}/{unit}/in\", \"outbox\": \"d//{period}/{unit}/\"}")
        #expect(throws: PipelineConfig.ConfigError.self) { try PipelineConfig(json: Data(text.utf8)) }
        let fine = Self.pipeline(layout: "{\"inbox\": \"d/{period}/{unit}/in\", \"outbox\": \"d/{period}/{unit}/out\"}")
        _ = try PipelineConfig(json: Data(fine.utf8))
    }

    @Test func aSecondLayoutKeyIsAConfigurationError() throws {
        let dir = TempDir("dup-key")
        let text = Self.pipeline(layout: "{\"inbox\": \"data/{unit}/inbox/{period}\", \"outbox\": \"data/{unit}/outbox/{period}\"}",
                                 extra: "\n  \"layout\": {\"inbox\": \"data/{unit}/inbox/{period}\", \"outbox\": \"data/{unit}/in{period}\"},")
        dir.write("pipeline.json", text)
        dir.write("data/110105/inbox/2012-09/clean.csv", readBytes(Paths.fixtures + "/clean.csv"))
        let before = Self.snapshot(dir)
        let r = try aggregate(["run", "--config", "pipeline.json", "--unit", "110105", "--period", "2012-09",
                               "--as-of", defaultAsOf], cwd: dir.path)
        #expect(r.status == 1)
        #expect(r.stderr.contains("layout") && r.stderr.contains("duplicate"), "\(r.stderr)")
        #expect(Self.snapshot(dir) == before)
    }

    @Test func duplicateKeysAreFoundAtAnyDepth() throws {
        #expect(JSONDuplicateKeys.first(in: Array(#"{"a": 1, "b": 2, "a": 3}"#.utf8)) == "a")
        #expect(JSONDuplicateKeys.first(in: Array(#"{"units": [{"code": "1"}, {"code": "2", "parent": "x", "parent": "y"}]}"#.utf8)) == "units[1].parent")
        #expect(JSONDuplicateKeys.first(in: Array(#"{"layout": {"inbox": "a", "in\u0062ox": "b"}}"#.utf8)) == "layout.inbox")
        #expect(JSONDuplicateKeys.first(in: Array(#"{"x": {"a": [1, {"a": 2}], "b": {"a": {}}}, "y": "a,\"a\":"}"#.utf8)) == nil)
        #expect(JSONDuplicateKeys.first(in: Array(#"[{"k": 1}, {"k": 2}, {"k": [true, null, -1.5e3]}]"#.utf8)) == nil)
        // A config with a duplicate key deep inside is refused.
        let text = Self.pipeline(layout: "{\"inbox\": \"i/{unit}/{period}\", \"outbox\": \"o/{unit}/{period}\"}")
            .replacingOccurrences(of: "\"level\": \"city\"", with: "\"level\": \"city\", \"level\": \"county\"")
        #expect(throws: PipelineConfig.ConfigError.self) { try PipelineConfig(json: Data(text.utf8)) }
    }

    @Test func layoutPathsMeetOnlyWhereAFillingCanMakeThemEqual() {
        let inbox = LayoutPath(template: "data/{unit}/inbox/{period}")
        #expect(!LayoutPath(template: "data/{unit}/outbox/{period}").canBeOrContain(inbox))
        #expect(!LayoutPath(template: "data/{period}/{unit}").canBeOrContain(inbox))
        #expect(!LayoutPath(template: "/srv/data/{unit}/inbox/{period}").canBeOrContain(inbox))
        #expect(LayoutPath(template: "data/{unit}/inbox/{period}/").canBeOrContain(inbox))
        #expect(LayoutPath(template: "data/110105/inbox/{period}").canBeOrContain(inbox))
        #expect(!LayoutPath(template: "data/11010x/inbox/{period}").canBeOrContain(inbox))
        #expect(LayoutPath(template: "data").canBeOrContain(inbox))
        // Below the inbox is allowed (beside or below the inputs is fine).
        #expect(!LayoutPath(template: "data/{unit}/inbox/{period}/out").canBeOrContain(inbox))
    }

    @Test func theDefaultLayoutAndTheExamplesStillLoad() throws {
        _ = try PipelineConfig.load(path: Paths.shared + "/examples/2-city/pipeline.json")
        _ = try PipelineConfig.load(path: Paths.packageRoot + "/pipeline.json")
    }
}
