/// The desk page's script (inline in `DeskPage.html`: no network, no library).
extension DeskPage {
    static let script = #"""
    "use strict";
    const $ = (id) => document.getElementById(id);
    let token = sessionStorage.getItem("desk-token") || "";
    async function api(method, path, body) {
      const h = {"Content-Type": "application/json"};
      if (token) h["Authorization"] = "Bearer " + token;
      const r = await fetch(path, {method, headers: h, body: body === undefined ? undefined : JSON.stringify(body)});
      if (r.status === 401) { $("tokenbox").hidden = false; $("token").focus(); }
      let j = {};
      try { j = await r.json(); } catch (e) {}
      return {status: r.status, json: j};
    }
    $("token").addEventListener("change", () => { token = $("token").value.trim(); sessionStorage.setItem("desk-token", token); });
    function say(el, text, cls) { el.textContent = text; el.className = cls || ""; }

    // Tabs (Alt+1..4 via accesskey; the buttons are reachable with Tab too).
    function show(tab) {
      for (const b of document.querySelectorAll(".tab")) b.setAttribute("aria-pressed", String(b.dataset.tab === tab));
      for (const s of document.querySelectorAll("main>section")) s.hidden = s.id !== tab;
      if (tab === "due") loadDue();
      if (tab === "batch") loadBatches();
      const first = $(tab).querySelector("input,select,button");
      if (first) first.focus();
    }
    for (const b of document.querySelectorAll(".tab")) b.addEventListener("click", () => show(b.dataset.tab));

    async function tick() {
      const r = await api("GET", "/api/desk");
      if (r.status === 200) {
        $("clock").textContent = "当前时间 " + r.json.now + "　本月 " + r.json.period + "　未报送 " + r.json.pending + " 条";
        if (!$("dperiod").value) $("dperiod").value = r.json.period;
      }
    }

    // ---- Registration: the form's values keyed by the Chinese column names.
    const rows = Array.from(document.querySelectorAll("#regform .row"));
    function valueOf(row) {
      const kind = row.dataset.kind;
      if (kind === "multi") return Array.from(row.querySelectorAll("input:checked")).map(i => i.value).join("");
      if (kind === "single") { const c = row.querySelector("input:checked"); return c ? c.value : ""; }
      return row.querySelector("input,select").value;
    }
    function formValues() {
      const o = {};
      for (const row of rows) o[row.dataset.name || row.querySelector("[data-name]").dataset.name] = valueOf(row);
      return o;
    }
    const touched = new Set();
    function showFindings(findings, all) {
      const byField = {};
      for (const f of findings) (byField[f["字段"]] = byField[f["字段"]] || []).push(f);
      for (const row of rows) {
        const name = row.dataset.name || row.querySelector("[data-name]").dataset.name;
        const key = row.dataset.col;
        if (!all && !touched.has(key)) continue;
        const out = $("m-" + key);
        out.textContent = "";
        const fs = byField[name] || [];
        let level = "ok";
        for (const f of fs) {
          const s = document.createElement("span");
          s.className = f["级别"];
          s.textContent = (f["级别"] === "reject" ? "✗ " : "⚠ ") + f["说明"] + "（" + f["规则"] + "）";
          out.appendChild(s);
          out.appendChild(document.createTextNode(" "));
          if (f["级别"] === "reject") level = "reject"; else if (level !== "reject") level = "flag";
        }
        row.classList.remove("ok", "flag", "reject");
        row.classList.add(level);
      }
    }
    let pending = null, seq = 0;
    async function checkNow(all) {
      const mine = ++seq;
      const r = await api("POST", "/api/check", formValues());
      if (mine !== seq || r.status !== 200) return null;
      showFindings(r.json.findings, all);
      return r.json.findings;
    }
    function scheduleCheck(ev) {
      const row = ev.target.closest(".row");
      if (row) touched.add(row.dataset.col);
      confirmFlags = false;
      clearTimeout(pending);
      pending = setTimeout(() => checkNow(false), 200);
    }
    $("regform").addEventListener("input", scheduleCheck);
    $("regform").addEventListener("change", scheduleCheck);
    let confirmFlags = false;
    $("regform").addEventListener("submit", async (ev) => {
      ev.preventDefault();
      clearTimeout(pending);
      for (const row of rows) touched.add(row.dataset.col);
      const findings = await checkNow(true);
      if (findings === null) return;
      const rejects = findings.filter(f => f["级别"] === "reject");
      if (rejects.length) {
        say($("regresult"), "有 " + rejects.length + " 项须改正，未保存。 " + rejects.length + " field(s) must be fixed; not saved.", "bad");
        const row = rows.find(r => r.classList.contains("reject"));
        if (row) row.querySelector("input,select").focus();
        return;
      }
      if (findings.length && !confirmFlags) {
        confirmFlags = true;
        say($("regresult"), "有 " + findings.length + " 项提醒（见各项旁）；再按一次“检查并保存”仍然保存。 Flags shown; press Save again to save anyway.", "bad");
        return;
      }
      const r = await api("POST", "/api/registrations", formValues());
      confirmFlags = false;
      if (r.status === 201) {
        say($("regresult"), "已保存：" + r.json.record["姓名"] + " " + r.json.record["公民身份号码"] + "（更新时间 " + r.json.record["更新时间"] + "） Saved.", "good");
        $("regform").reset(); touched.clear();
        for (const row of rows) { row.classList.remove("ok", "flag", "reject"); $("m-" + row.dataset.col).textContent = ""; }
        $("f-name").focus(); tick();
      } else if (r.status === 409) {
        say($("regresult"), "此人已登记，请在“查询·回访”中更新。 Already registered: use a follow-up.", "bad");
      } else if (r.status === 422) {
        showFindings(r.json.findings, true);
        say($("regresult"), "未保存：有须改正的项。 Not saved.", "bad");
      } else {
        say($("regresult"), "未保存（" + r.status + "）：" + (r.json.error || ""), "bad");
      }
    });

    // ---- Find, follow-up, services.
    let current = null;
    const cols = ["姓名","性别","民族","公民身份号码","毕业院校","毕业日期","学历","所学专业","入学前户口所在地","电子邮箱","邮编","手机号码","固定电话","困难状况","就业地意向","就业意向","就业服务需求","就业去向","更新时间","登记单位"];
    function cell(tag, text) { const c = document.createElement(tag); c.textContent = text; return c; }
    async function find(id) {
      const r = await api("GET", "/api/people/" + encodeURIComponent(id.trim()));
      if (r.status !== 200) { $("person").hidden = true; current = null; say($("findresult"), "未找到此人 not found", "bad"); return false; }
      current = r.json; say($("findresult"), "", "");
      const rec = current.record;
      const kv = $("current"); kv.textContent = "";
      for (let i = 0; i < cols.length; i += 4) {
        const tr = document.createElement("tr");
        for (const c of cols.slice(i, i + 4)) { tr.appendChild(cell("td", c)); tr.appendChild(cell("td", rec[c])); }
        kv.appendChild(tr);
      }
      const head = $("history").tHead; head.textContent = "";
      const hr = document.createElement("tr");
      for (const c of ["更新时间","就业去向","就业服务需求","手机号码","固定电话","困难状况","就业意向"]) hr.appendChild(cell("th", c));
      head.appendChild(hr);
      const body = $("history").tBodies[0]; body.textContent = "";
      for (const v of current.history) {
        const tr = document.createElement("tr");
        for (const c of ["更新时间","就业去向","就业服务需求","手机号码","固定电话","困难状况","就业意向"]) tr.appendChild(cell("td", v[c]));
        body.appendChild(tr);
      }
      const ul = $("services"); ul.textContent = "";
      for (const s of current.services) ul.appendChild(cell("li", s.at + "　" + s.kind + (s.note ? "　" + s.note : "")));
      $("u-destination").value = rec["就业去向"];
      for (const b of document.querySelectorAll("input[name=uneeds]")) b.checked = rec["就业服务需求"].includes(b.value);
      $("u-mobile").value = rec["手机号码"]; $("u-landline").value = rec["固定电话"]; $("u-email").value = rec["电子邮箱"];
      for (const k of ["destination","serviceNeeds","mobile","landline","email"]) $("um-" + k).textContent = "";
      $("person").hidden = false;
      return true;
    }
    $("findform").addEventListener("submit", async (ev) => { ev.preventDefault(); if (await find($("q").value)) $("u-destination").focus(); });
    $("fuform").addEventListener("submit", async (ev) => {
      ev.preventDefault();
      if (!current) return;
      const rec = current.record, changes = {};
      const needs = Array.from(document.querySelectorAll("input[name=uneeds]:checked")).map(i => i.value).join("");
      const now = {"就业去向": $("u-destination").value, "就业服务需求": needs, "手机号码": $("u-mobile").value.trim(), "固定电话": $("u-landline").value.trim(), "电子邮箱": $("u-email").value.trim()};
      for (const k in now) if (now[k] !== rec[k]) changes[k] = now[k];
      if (!Object.keys(changes).length) { say($("furesult"), "没有改动 nothing changed", "bad"); return; }
      const r = await api("POST", "/api/people/" + encodeURIComponent(rec["公民身份号码"]) + "/followups", changes);
      const keys = {"就业去向": "destination", "就业服务需求": "serviceNeeds", "手机号码": "mobile", "固定电话": "landline", "电子邮箱": "email"};
      for (const k in keys) $("um-" + keys[k]).textContent = "";
      for (const f of (r.json.findings || [])) { const o = $("um-" + keys[f["字段"]]); if (o) o.appendChild(cell("span", f["说明"] + "（" + f["规则"] + "）")).className = f["级别"]; }
      if (r.status === 201) { say($("furesult"), "回访已保存（更新时间 " + r.json.record["更新时间"] + "） Saved.", "good"); await find(rec["公民身份号码"]); tick(); }
      else say($("furesult"), "未保存（" + r.status + "） " + (r.json.error || "须改正后再保存"), "bad");
    });
    $("svform").addEventListener("submit", async (ev) => {
      ev.preventDefault();
      if (!current) return;
      const id = current.record["公民身份号码"];
      const r = await api("POST", "/api/people/" + encodeURIComponent(id) + "/services", {kind: $("s-kind").value, at: $("s-at").value.trim(), note: $("s-note").value});
      if (r.status === 201) { say($("svresult"), "已记录 " + r.json.service.kind + " " + r.json.service.at, "good"); $("s-note").value = ""; await find(id); $("s-kind").focus(); }
      else say($("svresult"), "未记录（" + r.status + "）：" + (r.json.error || ""), "bad");
    });

    // ---- Due list.
    async function loadDue() {
      const p = $("dperiod").value.trim();
      const r = await api("GET", "/api/due" + (p ? "?period=" + encodeURIComponent(p) : ""));
      const body = $("duelist").tBodies[0]; body.textContent = "";
      if (r.status !== 200) { say($("dueresult"), "错误 " + (r.json.error || r.status), "bad"); return; }
      say($("dueresult"), r.json.period + "：" + r.json.due.length + " 人", "");
      for (const e of r.json.due) {
        const tr = document.createElement("tr");
        if (e.hardship) tr.className = "hard";
        for (const t of [e.hardship ? "困难" : "", e["公民身份号码"], e["姓名"], e["困难状况"], e["手机号码"], e["固定电话"], String(e.count)]) tr.appendChild(cell("td", t));
        const td = document.createElement("td"), b = cell("button", "查看 Open");
        b.type = "button";
        b.addEventListener("click", async () => { show("find"); $("q").value = e["公民身份号码"]; await find(e["公民身份号码"]); $("s-kind").focus(); });
        td.appendChild(b); tr.appendChild(td); body.appendChild(tr);
      }
    }
    $("dueform").addEventListener("submit", (ev) => { ev.preventDefault(); loadDue(); });

    // ---- Batches.
    async function loadBatches() {
      const r = await api("GET", "/api/batches");
      const body = $("batches").tBodies[0]; body.textContent = "";
      if (r.status !== 200) return;
      for (const b of r.json.batches.slice().reverse()) {
        const tr = document.createElement("tr");
        for (const t of [b.file, b.period, String(b.rows), b.state === "done" ? "已写入" : "待完成"]) tr.appendChild(cell("td", t));
        body.appendChild(tr);
      }
    }
    $("close").addEventListener("click", async () => {
      const r = await api("POST", "/api/batches");
      if (r.status === 201) say($("batchresult"), "已写入 " + r.json.file + "（" + r.json.rows + " 行） Written.", "good");
      else if (r.status === 200) say($("batchresult"), "没有待报送的记录 nothing pending", "");
      else say($("batchresult"), "失败（" + r.status + "）：" + (r.json.error || ""), "bad");
      loadBatches(); tick();
    });

    tick(); setInterval(tick, 30000);
    $("f-name").focus();
    """#
}
