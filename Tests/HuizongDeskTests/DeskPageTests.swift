import XCTest
@testable import HuizongDesk

/// The page (SPEC 9): self-contained, every field of the 登记表 in order with its hint and its
/// choices, text escaped by construction.
final class DeskPageTests: XCTestCase {
    func testSelfContainedWithEveryFieldInOrderAndEscaped() {
        let html = DeskPage.html(unit: "110105", unitName: "朝阳<区>&\"")
        XCTAssertFalse(html.contains("朝阳<区>"))
        XCTAssertTrue(html.contains("朝阳&lt;区&gt;&amp;&quot;"))
        // Nothing fetched from elsewhere.
        for external in ["src=\"http", "href=\"http", "@import", "url(http", "<link"] {
            XCTAssertFalse(html.contains(external), external)
        }
        // The 登记表's fields in its order, each with its hint.
        var last = html.startIndex
        for f in FormFields.registration {
            let marker = "data-col=\"\(DeskPage.key(f.column))\""
            guard let r = html.range(of: marker, range: last..<html.endIndex) else {
                return XCTFail("\(f.column.canonicalName) missing or out of order")
            }
            last = r.upperBound
            XCTAssertTrue(html.contains(DeskPage.HTML.text(f.hint)), f.column.canonicalName)
        }
        // Code fields as choices with their labels (a sample of each list).
        for label in ["1. 博士研究生", "4. 不属于困难情况", "3. 不确定", "9. 自愿暂时不就业", "A. 其他", "9. 公益性岗位", "12. 职业培训"] {
            XCTAssertTrue(html.contains(label), label)
        }
        XCTAssertEqual(html.components(separatedBy: "type=checkbox name=\"intentions\"").count - 1, 10)
        XCTAssertEqual(html.components(separatedBy: "type=radio name=\"education\"").count - 1, 5)
    }
}
