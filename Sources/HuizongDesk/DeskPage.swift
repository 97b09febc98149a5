import HuizongCore

/// The desk's page (SPEC 9, `GET /`): one self-contained HTML document — no external scripts,
/// fonts or styles — in Chinese, the 登记表's fields in its order with the 填写说明 hint beside
/// each, every field checked by the server's `/api/check` as it is typed. Usable with the keyboard
/// alone (native controls, access keys Alt+1…4, visible focus) and on a 1366×768 screen.
///
/// HTML is escaped by construction: every text goes through `HTML.text`/`HTML.attr`, and the
/// script writes data only through `textContent` and DOM properties, never as markup.
public enum DeskPage {
    enum HTML {
        static func text(_ s: String) -> String { HTMLText.escaped(s) }
        static func attr(_ s: String) -> String { text(s) }
    }

    /// The ASCII key of a column in the page (element ids, the script's field names).
    static func key(_ c: Column) -> String { String(describing: c) }

    static func field(_ f: FormField) -> String {
        let k = key(f.column)
        let label = HTML.text(f.column.canonicalName)
        let hint = "<small class=hint id=\"h-\(k)\">\(HTML.text(f.hint))</small>"
        let msg = "<output class=msg id=\"m-\(k)\" for=\"f-\(k)\" aria-live=polite></output>"
        let described = "aria-describedby=\"h-\(k) m-\(k)\""
        switch f.kind {
        case .text(let max):
            let type = f.column == .email ? "email" : (f.column == .mobile || f.column == .landline) ? "tel" : "text"
            let mode = [.citizenID, .graduationDate, .hukou, .postcode].contains(f.column) ? " inputmode=numeric" : ""
            return """
                <div class=row data-col="\(k)"><label for="f-\(k)">\(label)</label>\
                <input id="f-\(k)" name="\(k)" data-name="\(HTML.attr(f.column.canonicalName))" type=\(type) maxlength=\(max)\(mode) autocomplete=off \(described)>\
                \(hint)\(msg)</div>
                """
        case .single(let options) where options.count > 5:
            let opts = options.map { (o: Codebook.Option) -> String in "<option value=\"\(HTML.attr(o.code))\">\(HTML.text(o.code)). \(HTML.text(o.label))</option>" }.joined()
            return """
                <div class=row data-col="\(k)"><label for="f-\(k)">\(label)</label>\
                <select id="f-\(k)" name="\(k)" data-name="\(HTML.attr(f.column.canonicalName))" \(described)><option value="">（空：未回访）</option>\(opts)</select>\
                \(hint)\(msg)</div>
                """
        case .single(let options), .multi(let options):
            let multi: Bool
            if case .multi = f.kind { multi = true } else { multi = false }
            let type = multi ? "checkbox" : "radio"
            let boxes = options.map { (o: Codebook.Option) -> String in
                let id = "f-\(k)-\(o.code)"
                return "<label class=opt for=\"\(id)\"><input type=\(type) name=\"\(k)\" value=\"\(HTML.attr(o.code))\" id=\"\(id)\">\(HTML.text(o.code == o.label ? o.label : "\(o.code). \(o.label)"))</label>"
            }.joined()
            return """
                <fieldset class=row data-col="\(k)" data-name="\(HTML.attr(f.column.canonicalName))" data-kind=\(multi ? "multi" : "single") \(described)>\
                <legend>\(label)\(multi ? "（可多选）" : "")</legend><span class=opts>\(boxes)</span>\
                \(hint)\(msg)</fieldset>
                """
        }
    }

    static func serviceOptions() -> String {
        var o = "<option value=\"info\">info. 就业信息（每月至少三次）</option>"
        for s in Codebook.serviceNeeds { o += "<option value=\"\(s.code)\">\(s.code). \(HTML.text(s.label))</option>" }
        return o
    }

    static func destinationOptions() -> String {
        "<option value=\"\">（空：未就业）</option>" + Codebook.destination.map { (o: Codebook.Option) -> String in
            "<option value=\"\(o.code)\">\(o.code). \(HTML.text(o.label))</option>"
        }.joined()
    }

    static func needsBoxes() -> String {
        Codebook.serviceNeeds.map { (o: Codebook.Option) -> String in
            "<label class=opt for=\"u-needs-\(o.code)\"><input type=checkbox name=uneeds id=\"u-needs-\(o.code)\" value=\"\(o.code)\">\(o.code). \(HTML.text(o.label))</label>"
        }.joined()
    }

    public static func html(unit: String, unitName: String) -> String {
        let fields: String = FormFields.registration.map { (f: FormField) -> String in field(f) }.joined(separator: "\n")
        let title = "\(HTML.text(unitName))（\(HTML.text(unit))）离校未就业高校毕业生服务台"
        return """
        <!doctype html>
        <html lang="zh-CN"><head><meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(title)</title>
        <style>\(style)</style></head>
        <body>
        <header><h1>\(title)</h1>
        <span id=clock aria-live=off></span>
        <nav aria-label="功能">
        <button type=button class=tab data-tab=reg accesskey="1" aria-pressed=true>1 登记</button>
        <button type=button class=tab data-tab=find accesskey="2">2 查询·回访·服务</button>
        <button type=button class=tab data-tab=due accesskey="3">3 待联系</button>
        <button type=button class=tab data-tab=batch accesskey="4">4 报送批次</button>
        </nav>
        <span id=tokenbox hidden><label for=token>令牌 token</label><input id=token type=password autocomplete=off></span>
        </header>
        <main>
        <section id=reg aria-labelledby=reg-h><h2 id=reg-h>信息登记（登记表 附件1）</h2>
        <p class=note>逐项填写；每项输入时即按汇总规则检查，提示显示在该项旁。红色为须改正（不能保存），黄色为提醒（可保存）。</p>
        <form id=regform novalidate autocomplete=off>
        <div class=grid>
        \(fields)
        </div>
        <div class=actions><button type=submit id=save>检查并保存 Save</button>
        <output id=regresult aria-live=assertive></output></div>
        </form></section>

        <section id=find hidden aria-labelledby=find-h><h2 id=find-h>查询、回访与服务</h2>
        <form id=findform class=inline><label for=q>公民身份号码</label><input id=q maxlength=18 inputmode=numeric autocomplete=off>
        <button type=submit>查找 Find</button><output id=findresult aria-live=polite></output></form>
        <div id=person hidden>
        <h3>当前记录</h3><table id=current class=kv></table>
        <h3>历次记录（旧→新）</h3><div class=scroll><table id=history><thead></thead><tbody></tbody></table></div>
        <div class=cols>
        <form id=fuform><h3>回访（信息更新）</h3>
        <div class=row><label for=u-destination>就业去向</label><select id=u-destination>\(destinationOptions())</select><small class=hint>根据回访结果填写，选一项（说明十一）</small><output class=msg id=um-destination></output></div>
        <fieldset class=row><legend>就业服务需求（可多选）</legend><span class=opts>\(needsBoxes())</span><output class=msg id=um-serviceNeeds></output></fieldset>
        <div class=row><label for=u-mobile>手机号码</label><input id=u-mobile type=tel maxlength=20 autocomplete=off><output class=msg id=um-mobile></output></div>
        <div class=row><label for=u-landline>固定电话</label><input id=u-landline type=tel maxlength=20 autocomplete=off><output class=msg id=um-landline></output></div>
        <div class=row><label for=u-email>电子邮箱</label><input id=u-email type=email maxlength=100 autocomplete=off><output class=msg id=um-email></output></div>
        <button type=submit id=fusave>保存回访 Save follow-up</button><output id=furesult aria-live=assertive></output></form>
        <form id=svform><h3>服务记录</h3>
        <div class=row><label for=s-kind>服务类别</label><select id=s-kind>\(serviceOptions())</select></div>
        <div class=row><label for=s-at>服务时间</label><input id=s-at placeholder="空为现在 YYYY-MM-DD HH:MM:SS" maxlength=25 autocomplete=off></div>
        <div class=row><label for=s-note>备注</label><input id=s-note maxlength=200 autocomplete=off></div>
        <button type=submit id=svsave>记录服务 Record service</button><output id=svresult aria-live=assertive></output>
        <h3>已提供的服务</h3><ul id=services></ul></form>
        </div></div></section>

        <section id=due hidden aria-labelledby=due-h><h2 id=due-h>本月待联系（困难人员优先）</h2>
        <form id=dueform class=inline><label for=dperiod>月份</label><input id=dperiod maxlength=7 placeholder="YYYY-MM" autocomplete=off>
        <button type=submit>刷新 Refresh</button><output id=dueresult aria-live=polite></output></form>
        <p class=note>登记求职者每月至少提供三次就业信息（通知二(二)）；困难人员（困难状况1–3）未就业者均列出，一对一帮扶（通知二(七)）。</p>
        <div class=scroll><table id=duelist><thead><tr><th>困难</th><th>公民身份号码</th><th>姓名</th><th>困难状况</th><th>手机号码</th><th>固定电话</th><th>本月就业信息次数</th><th></th></tr></thead><tbody></tbody></table></div>
        </section>

        <section id=batch hidden aria-labelledby=batch-h><h2 id=batch-h>报送批次</h2>
        <p class=note>把上次报送以来的全部登记和回访写入本县本月收件箱（desk-日期-时间.csv），供月度汇总使用。</p>
        <button type=button id=close>生成批次 Close batch</button><output id=batchresult aria-live=assertive></output>
        <div class=scroll><table id=batches><thead><tr><th>文件</th><th>月份</th><th>行数</th><th>状态</th></tr></thead><tbody></tbody></table></div>
        </section>
        </main>
        <script>\(script)</script>
        </body></html>
        """
    }

    static let style = """
    *{box-sizing:border-box}body{margin:0;font:14px/1.35 "Noto Sans CJK SC","WenQuanYi Micro Hei","Microsoft YaHei",sans-serif;color:#1a1a1a;background:#f4f5f7}
    header{display:flex;flex-wrap:wrap;align-items:center;gap:.3rem 1rem;padding:.35rem .8rem;background:#1f4e79;color:#fff}
    h1{font-size:16px;margin:0}h2{font-size:15px;margin:.2rem 0 .3rem}h3{font-size:14px;margin:.5rem 0 .2rem}
    nav{display:flex;gap:.3rem}.tab{background:#2f6ea5;color:#fff;border:1px solid #9cc3e6;padding:.2rem .6rem;border-radius:3px;font:inherit;cursor:pointer}
    .tab[aria-pressed=true]{background:#fff;color:#1f4e79;font-weight:bold}
    #clock{font-size:12px;opacity:.9}
    main{padding:.4rem .8rem;max-width:1366px}
    .note{margin:.1rem 0 .4rem;color:#444;font-size:12px}
    .grid{display:grid;grid-template-columns:1fr 1fr;gap:.15rem 1rem}
    .row{display:grid;grid-template-columns:7.5em minmax(9em,15em) 1fr;align-items:center;gap:.1rem .5rem;margin:0;padding:.12rem .3rem;border:0;border-left:3px solid transparent;min-width:0}
    fieldset.row{display:block;min-inline-size:0;padding-left:calc(8em + .3rem);position:relative}
    fieldset.row legend{position:absolute;left:.3rem;top:.12rem;width:7.5em;padding:0;font-weight:600}
    fieldset.row .opts,fieldset.row .hint,fieldset.row .msg{display:block}
    .row>label{font-weight:600}
    .row .hint{color:#555;font-size:12px;line-height:1.2}.row .msg{grid-column:2/4;font-size:12px}.row .msg:empty{display:none}
    .row.reject{border-left-color:#c62828;background:#fdecea}.row.flag{border-left-color:#e0a100;background:#fff8e1}.row.ok{border-left-color:#2e7d32}
    .msg .reject{color:#b71c1c}.msg .flag{color:#8a6100}
    .opt{display:inline-block;margin-right:.5rem;white-space:nowrap;font-size:13px}
    input,select,button{font:inherit}input[type=text],input[type=tel],input[type=email],input:not([type]),select{width:100%;padding:.12rem .3rem;border:1px solid #888;border-radius:2px}
    :focus-visible{outline:3px solid #ff9800;outline-offset:1px}
    .actions{margin:.4rem 0;display:flex;gap:1rem;align-items:center}
    button#save,button#close,#fusave,#svsave{background:#1f4e79;color:#fff;border:0;padding:.3rem .9rem;border-radius:3px;cursor:pointer}
    .inline{display:flex;gap:.5rem;align-items:center;margin-bottom:.3rem}.inline input{width:14em}
    .cols{display:grid;grid-template-columns:1fr 1fr;gap:1rem}
    .cols .row{grid-template-columns:7.5em minmax(9em,14em) 1fr}
    table{border-collapse:collapse;font-size:12px;background:#fff}th,td{border:1px solid #ccc;padding:.1rem .3rem;text-align:left;white-space:nowrap}
    .kv td:nth-child(odd){font-weight:600;background:#eef2f7}
    .scroll{max-height:15rem;overflow:auto}
    .good{color:#1b5e20}.bad{color:#b71c1c}
    tr.hard td:first-child{color:#b71c1c;font-weight:bold}
    """
}
