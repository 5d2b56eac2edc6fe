"""The review page in a real browser: Playwright driving Debian's Chromium (``apt-get install
chromium``; Playwright's own browser builds are never downloaded) against ``suggester serve --db``.

A coder accepts one report with the keyboard, moves on with ``j``, overrides the next one, and
after a reload the page shows the evidence highlighted in place, both decisions and one audit
entry each. The final screenshot is kept as a test artifact in ``test-artifacts/review.png``.
"""

import os
import shutil
from pathlib import Path

import httpx
import pytest
from test_workbench import ABD, HEAD, KNEE, Serve

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = Path(os.environ.get("SUGGESTER_TEST_ARTIFACTS", ROOT / "test-artifacts"))
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install -e '.[dev]')")


def chromium_path() -> str | None:
    for cand in (os.environ.get("SUGGESTER_CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium"),
                 shutil.which("chromium-browser")):
        if cand and Path(cand).is_file():
            return cand
    return None


pytestmark = pytest.mark.skipif(chromium_path() is None,
                                reason="no Chromium found: apt-get install -y chromium (or set SUGGESTER_CHROMIUM)")

# complete or limited is not stated: a close alternative keeps it in review
# no side anywhere: the laterality_missing flag sends it to review whatever the model's confidence
US = "EXAM: US BREAST\nFINDINGS: Simple cyst at 2 o'clock.\nIMPRESSION: Benign."


@pytest.fixture
def browser_page():
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), headless=True)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 800})
            yield page
        finally:
            browser.close()


def marks(page) -> list[str]:
    return page.locator("#report-text mark.code").all_inner_texts()


def test_accept_override_reload_shows_highlight_decision_and_audit(tmp_path, browser_page):
    page = browser_page
    # the packaged model ships no release points: release CT reports at 0.5 for this page
    with Serve(tmp_path / "review.sqlite3", "--release", "ct=0.5") as s:
        with httpx.Client(base_url=s.url, timeout=30) as c:
            r = c.post("/v1/worklist", json={"records": [{"id": "ACC-1001", "text": KNEE},
                                                         {"id": "ACC-1002", "text": ABD},
                                                         {"id": "ACC-1003", "text": HEAD},
                                                         {"id": "ACC-1004", "text": US}]})
            assert r.json() == {"added": 4, "updated": 0, "unchanged": 0}
        page.goto(f"{s.url}/review")
        assert page.locator("tr.item").count() == 4
        assert page.locator("#report").get_attribute("data-id") == "ACC-1001"
        assert marks(page) == ["XR", "RIGHT", "KNEE", "3 VIEWS"]
        page.fill("#coder", "ann")
        page.keyboard.press("Escape")  # leave the coder box: letters typed there are not shortcuts
        with page.expect_navigation():
            page.keyboard.press("a")  # accept the first report
        assert page.locator("#report .meta .badge").inner_text() == "accepted by ann"
        with page.expect_navigation():
            page.keyboard.press("j")  # next report
        assert page.locator("#report").get_attribute("data-id") == "ACC-1002"
        assert page.input_value("#coder") == "ann"  # kept in localStorage
        page.fill("#coder", "bob")
        # an invalid override is refused with the problem named, and nothing is recorded
        page.fill("#override-codes", "74176 TC")
        page.click("#override")
        page.locator("#error").wait_for(state="visible")
        assert page.locator("#error").inner_text() == ("codes[0]: modifier TC on 74176: professional billing takes 26; "
                                                      "codes[0]: 74176 under professional billing needs modifier 26")
        page.fill("#override-codes", "74176 26")
        page.fill("#note", "oral contrast only")
        with page.expect_navigation():
            page.click("#override")

        page.reload()
        assert page.locator("#report").get_attribute("data-id") == "ACC-1002"
        # the report text is shown as text (the <script> in it is not run) with the evidence marked
        assert "<script>alert('x')</script>" in page.locator("#report-text").inner_text()
        assert marks(page) == ["CT", "ABDOMEN AND PELVIS", "IV", "iohexol"]
        assert page.locator("#report .meta .badge").inner_text() == "overridden by bob"
        rows = page.locator("#audit tr.event")
        assert rows.count() == 1
        assert rows.nth(0).locator("td").all_inner_texts()[1:6] == ["bob", "override", "74177-26", "74176-26",
                                                                   "oral contrast only"]
        items = page.locator("tr.item")
        # the plain CT head report clears its family's release point: released, no review badge
        assert [items.nth(i).locator(".status").inner_text() for i in range(4)] == ["accept", "override", "released",
                                                                                   "review"]
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "review.png"))

        with page.expect_navigation():
            page.keyboard.press("k")  # back to the accepted one
        rows = page.locator("#audit tr.event")
        assert rows.count() == 1
        assert rows.nth(0).locator("td").all_inner_texts()[1:5] == ["ann", "accept", "73562-26-RT", "73562-26-RT"]
        # the filters
        page.select_option("select[name=status]", "open")
        with page.expect_navigation():
            page.click("form.filters button")
        assert page.locator("tr.item").evaluate_all("rows => rows.map(r => r.dataset.id)") == ["ACC-1003", "ACC-1004"]
    assert (ARTIFACTS / "review.png").stat().st_size > 10_000


def test_with_a_token_the_page_asks_for_it_once(tmp_path, browser_page):
    """Off loopback a token is required: the page asks for it, keeps it in a cookie for the page
    and sends it as a bearer header with the decision."""
    page = browser_page
    token = "review-page-token-0123456789"
    with Serve(tmp_path / "t.sqlite3", token=token) as s:
        with httpx.Client(base_url=s.url, timeout=30, headers={"Authorization": f"Bearer {token}"}) as c:
            assert c.post("/v1/worklist", json={"records": [{"id": "T-1", "text": HEAD}]}).status_code == 200
        assert page.goto(f"{s.url}/review").status == 401
        assert page.locator("tr.item").count() == 0
        page.fill("#token", token)
        with page.expect_navigation():
            page.press("#token", "Enter")
        assert page.locator("#report").get_attribute("data-id") == "T-1"
        page.fill("#coder", "dee")
        with page.expect_navigation():
            page.click("#reject")
        assert page.locator("#report .meta .badge").inner_text() == "rejected by dee"
        assert page.locator("#audit tr.event td").all_inner_texts()[1:5] == ["dee", "reject", "70450-26", "none"]
