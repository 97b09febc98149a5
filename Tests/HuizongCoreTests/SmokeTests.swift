import Testing
@testable import HuizongCore
import HuizongTestSupport

@Test func columnsAreInSpecOrder() {
    #expect(Column.headerLine == "序号,姓名,性别,民族,公民身份号码,毕业院校,毕业日期,学历,所学专业,入学前户口所在地,电子邮箱,邮编,手机号码,固定电话,困难状况,就业地意向,就业意向,就业服务需求,就业去向,更新时间,登记单位")
}
