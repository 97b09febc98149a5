#!/usr/bin/env python3
"""The desk in a real browser (issue 15): headless Chromium from Debian driven by Selenium with
Debian's chromium-driver, keyboard only.

A clerk keys a registration in (Tab, typing, Space and arrow keys on the choices), sees a wrong
ID flagged beside the field before saving, saves a valid one, records a follow-up and three
job-information contacts, closes a batch; then `aggregate run` for the county (the demo's
pipeline.json, the desk's clock inside the demo's reporting window) has the person with the
follow-up's 就业去向 in the merged summary. Screenshots of each step go to docs/desk-*.png with
DESK_SCREENSHOTS=1 (install fonts-noto-cjk for legible ones), else to a temporary folder.

Skipped when the binary, chromium/chromedriver or selenium is missing (scripts/setup installs them).
"""
import csv
import gzip
import os
import sys
import shutil
import subprocess
import tempfile
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from desk_support import REPO, Desk, aggregate, make_id

try:
    from selenium import webdriver
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    HAVE_SELENIUM = True
except ImportError:  # pragma: no cover
    HAVE_SELENIUM = False

CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
DOCS = os.path.join(REPO, "docs") if os.environ.get("DESK_SCREENSHOTS") == "1" else tempfile.gettempdir()


@unittest.skipUnless(os.path.exists(aggregate()) and HAVE_SELENIUM and os.path.exists(CHROMEDRIVER)
                     and os.path.exists(CHROMIUM), "needs the binary, chromium, chromium-driver and selenium")
class DeskBrowserTest(unittest.TestCase):
    def setUp(self):
        self.root = tempfile.mkdtemp(prefix="huizong-desk-browser-")
        shutil.copy(os.path.join(REPO, "pipeline.json"), self.root)  # the demo's hierarchy
        self.desk = Desk(self.root, as_of="2012-10-15T10:00:00+08:00")
        opts = webdriver.ChromeOptions()
        opts.binary_location = CHROMIUM
        for a in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                  "--window-size=1366,768", "--lang=zh-CN", "--force-device-scale-factor=1"):
            opts.add_argument(a)
        self.browser = webdriver.Chrome(options=opts, service=webdriver.ChromeService(executable_path=CHROMEDRIVER))
        self.browser.set_window_size(1366, 768)

    def tearDown(self):
        try:
            self.browser.quit()
        finally:
            self.desk.stop()
            shutil.rmtree(self.root, ignore_errors=True)

    # -- keyboard helpers: everything below goes through key presses only.
    def keys(self, *k):
        ActionChains(self.browser).send_keys(*k).perform()

    def active(self):
        return self.browser.switch_to.active_element.get_attribute("id")

    def tab_to(self, element_id, limit=40):
        for _ in range(limit):
            if self.active() == element_id:
                return
            self.keys(Keys.TAB)
        self.fail(f"Tab never reached #{element_id} (at #{self.active()})")

    def alt(self, key):
        ActionChains(self.browser).key_down(Keys.ALT).send_keys(key).key_up(Keys.ALT).perform()

    def wait_text(self, element_id, needle, timeout=10):
        end = time.time() + timeout
        text = ""
        while time.time() < end:
            text = self.browser.find_element(By.ID, element_id).text
            if needle in text:
                return text
            time.sleep(0.1)
        self.fail(f"#{element_id} never showed {needle!r}: {text!r}")

    def shot(self, name):
        self.browser.save_screenshot(os.path.join(DOCS, name))

    def test_keyboard_registration_follow_up_services_batch_and_run(self):
        b = self.browser
        b.get(f"http://127.0.0.1:{self.desk.port}/")
        self.assertEqual(self.active(), "f-name")  # the form starts at 姓名
        # Fits a 1366×768 screen: no horizontal scrolling.
        self.assertLessEqual(b.execute_script("return document.documentElement.scrollWidth"), 1366)
        good = make_id(581, birth="19900315")   # 17th digit 1: 男
        wrong = good[:-1] + ("0" if good[-1] != "0" else "1")

        self.keys("李雷", Keys.TAB)
        self.assertEqual(self.active(), "f-sex-男")
        self.keys(Keys.SPACE, Keys.TAB)                         # 男
        self.keys("汉族", Keys.TAB)
        self.assertEqual(self.active(), "f-citizenID")
        self.keys(wrong, Keys.TAB)
        # The wrong ID is flagged beside the field, before anything is saved.
        msg = self.wait_text("m-citizenID", "ID_CHECKSUM")
        self.assertIn("校验码", msg)
        self.assertIn("reject", b.find_element(By.CSS_SELECTOR, "[data-col=citizenID]").get_attribute("class"))
        self.shot("desk-check.png")
        ActionChains(b).key_down(Keys.SHIFT).send_keys(Keys.TAB).key_up(Keys.SHIFT).perform()
        self.assertEqual(self.active(), "f-citizenID")
        ActionChains(b).key_down(Keys.CONTROL).send_keys("a").key_up(Keys.CONTROL).perform()
        self.keys(good, Keys.TAB)
        self.keys("北京大学", Keys.TAB, "20120701", Keys.TAB)
        self.assertEqual(self.active(), "f-education-1")
        self.keys(Keys.ARROW_RIGHT, Keys.ARROW_RIGHT, Keys.TAB)     # 学历 3 大学本科
        self.keys("法学", Keys.TAB, "110105", Keys.TAB)
        self.keys("lilei@example.com", Keys.TAB, "100020", Keys.TAB, "13800138000", Keys.TAB, Keys.TAB)
        self.assertEqual(self.active(), "f-hardship-1")
        self.tab_to("f-hardship-4"); self.keys(Keys.SPACE, Keys.TAB)     # 困难状况 4
        self.assertEqual(self.active(), "f-workplaceIntent-1")
        self.keys(Keys.ARROW_RIGHT, Keys.TAB)                          # 就业地意向 2
        self.tab_to("f-intentions-3"); self.keys(Keys.SPACE)           # 就业意向 3
        self.tab_to("f-serviceNeeds-1"); self.keys(Keys.SPACE, Keys.TAB, Keys.SPACE)  # 就业服务需求 1, 2
        self.tab_to("save"); self.keys(Keys.ENTER)
        self.wait_text("regresult", "已保存")
        self.assertEqual(b.find_element(By.ID, "m-citizenID").text, "")
        s, j = self.desk.request("GET", f"/api/people/{good}")
        self.assertEqual(s, 200)
        rec = j["record"]
        self.assertEqual((rec["姓名"], rec["性别"], rec["学历"], rec["困难状况"], rec["就业地意向"], rec["就业意向"], rec["就业服务需求"]),
                         ("李雷", "男", "3", "4", "2", "3", "12"))
        # The wrong ID was never stored.
        self.assertEqual(self.desk.request("GET", f"/api/people/{wrong}")[0], 404)
        self.shot("desk-registration.png")

        # A hardship case, so that the due list shows its order (entered through the API).
        other = make_id(582, birth="19910520")
        s, _ = self.desk.request("POST", "/api/registrations", {
            "姓名": "韩梅梅", "性别": "女", "民族": "汉族", "公民身份号码": other, "毕业院校": "北京师范大学",
            "毕业日期": "20120630", "学历": "4", "所学专业": "英语", "入学前户口所在地": "110105", "电子邮箱": "",
            "邮编": "", "手机号码": "13900139000", "固定电话": "", "困难状况": "2", "就业地意向": "2",
            "就业意向": "3", "就业服务需求": "25", "就业去向": ""})
        self.assertEqual(s, 201)

        # Three job-information contacts (二(二)), then the follow-up, all by keyboard.
        self.alt("2")
        self.assertEqual(self.active(), "q")
        self.keys(good, Keys.ENTER)
        self.wait_text("current", "李雷")
        for n in range(1, 4):
            self.tab_to("s-note"); self.keys(f"招聘信息第{n}次", Keys.ENTER)
            self.wait_text("svresult", "已记录")
            end = time.time() + 10
            while len(b.find_elements(By.CSS_SELECTOR, "#services li")) < n and time.time() < end:
                time.sleep(0.1)
            self.assertEqual(len(b.find_elements(By.CSS_SELECTOR, "#services li")), n)
        self.tab_to("u-destination")
        self.keys("4")                                                   # 4. 非国有企业
        self.tab_to("fusave"); self.keys(Keys.ENTER)
        self.wait_text("furesult", "回访已保存")
        s, j = self.desk.request("GET", f"/api/people/{good}")
        self.assertEqual(j["record"]["就业去向"], "4")
        self.assertEqual([x["更新时间"] > y["更新时间"] for x, y in zip(j["history"][1:], j["history"])], [True])
        self.assertEqual([sv["kind"] for sv in j["services"]], ["info"] * 3)
        self.shot("desk-followup.png")

        self.alt("3")
        self.wait_text("dueresult", "人")
        due = [r.text for r in b.find_elements(By.CSS_SELECTOR, "#duelist tbody tr")]
        self.assertEqual(len(due), 1)            # the placed person left the list
        self.assertIn(other, due[0])
        self.shot("desk-due.png")

        self.alt("4")
        self.assertEqual(self.active(), "close")
        self.keys(Keys.ENTER)
        text = self.wait_text("batchresult", "已写入")
        self.assertIn("desk-20121015-", text)
        self.assertIn("（3 行）", text)           # 2 registrations + 1 follow-up (services are not rows)
        self.shot("desk-batch.png")
        self.desk.stop()

        # The month's run for the county includes the person with the follow-up's 就业去向.
        r = subprocess.run([aggregate(), "run", "--config", "pipeline.json", "--unit", "110105", "--period", "2012-10",
                            "--as-of", "2012-11-01T18:00:00+08:00"], cwd=self.root, capture_output=True, text=True)
        self.assertIn(r.returncode, (0, 2), r.stderr)
        out = os.path.join(self.root, "data", "110105", "outbox", "2012-10", "110105-2012-10.csv.gz")
        with gzip.open(out, "rt", encoding="utf-8", newline="") as f:
            rows = {row["公民身份号码"]: row for row in csv.DictReader(f)}
        self.assertEqual(rows[good]["就业去向"], "4")
        self.assertEqual(rows[good]["姓名"], "李雷")
        self.assertEqual(rows[good]["登记单位"], "110105")
        self.assertIn(other, rows)


if __name__ == "__main__":
    unittest.main()
