"""The web app in a real browser (Debian's chromium driven by Playwright), plus direct HTTP calls.

Screenshots of each tab go to test-artifacts/ (not committed) so the layout can be looked at.
"""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

import pytest
from documents import write_pdf
from gradio_http import GradioHTTP
from helpers import CHROMIUM, CHROMIUM_FLAGS, ROOT
from web_server import served

from app.auth import Users
from index.config import Settings
from ingest.pipeline import ingest_paths

ARTIFACTS = ROOT / "test-artifacts"
TIMINGS: dict[str, float] = {}


@pytest.fixture(scope="module")
def browser():
    if CHROMIUM is None:
        pytest.fail("chromium is not installed: `make test` installs Debian's chromium package")
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield launched
        launched.close()
    (ARTIFACTS / "browser-timings.json").write_text(json.dumps(TIMINGS, indent=1))


@pytest.fixture(scope="module")
def open_app(bundled_store, tmp_path_factory):
    store = tmp_path_factory.mktemp("web") / "store"
    shutil.copytree(bundled_store, store)
    with served(store) as url:
        yield url


@pytest.fixture
def page(browser, open_app):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    tab = context.new_page()
    outside = []
    tab.on(
        "request",
        lambda request: None if request.url.startswith((open_app, "data:", "blob:")) else outside.append(request.url),
    )
    started = time.perf_counter()
    tab.goto(open_app)
    tab.wait_for_selector("#sg-question textarea")
    TIMINGS.setdefault("page_load_s", round(time.perf_counter() - started, 2))
    yield tab
    context.close()
    assert outside == [], f"the page asked for outside resources: {outside[:5]}"


def ask(page, question: str) -> str:
    """Ask in the chat and return the text of the newest answer."""
    before = page.locator("#sg-chat .message-row, #sg-chat [data-testid='bot']").count()
    page.fill("#sg-question textarea", question)
    page.click("#sg-ask")
    page.wait_for_function(
        "(n) => document.querySelectorAll(\"#sg-chat .message-row, #sg-chat [data-testid='bot']\").length > n",
        arg=before,
    )
    page.wait_for_selector("#sg-sources h4")
    page.wait_for_timeout(300)
    return page.locator("#sg-chat [data-testid='bot']").last.inner_text()


def test_figure_question_shows_answer_and_highlighted_citation(page):
    started = time.perf_counter()
    answer = ask(page, "How many referrals did the front door get last year?")
    TIMINGS["first_answer_s"] = round(time.perf_counter() - started, 2)
    assert "1,394" in answer and "[1]" in answer and "2018/19" in answer
    cited = page.locator("#sg-sources mark.sg-cited").first
    assert "1,394" in cited.inner_text()
    assert cited.locator("strong").first.inner_text() == "1,394"
    assert "2.3 Camden’s Multi-Agency Safeguarding Hub (MASH)" in page.inner_text("#sg-sources")
    assert "References" in page.input_value("#sg-copy textarea")
    page.screenshot(path=str(ARTIFACTS / "ask.png"))
    # Opening the citation shows its section around the cited sentence.
    page.locator("#sg-cite label").first.click()
    page.wait_for_selector("#sg-context mark.sg-cited")
    context = page.inner_text("#sg-context")
    assert "[1]" in context and "2.3 Camden’s Multi-Agency Safeguarding Hub (MASH)" in context
    page.screenshot(path=str(ARTIFACTS / "ask-citation.png"), full_page=True)


def test_unanswerable_question_abstains_and_shows_closest(page):
    answer = ask(page, "How many referrals did the MASH get in 2021/22?")
    assert "Not in the documents" in answer
    assert "Closest passages" in page.inner_text("#sg-sources")
    assert page.locator("#sg-cite label").count() == 0


def test_follow_up_question_uses_previous_subject(page):
    ask(page, "How many referrals did the MASH receive last year?")
    answer = ask(page, "and the year before?")
    assert "1,807" in answer and "2017/18" in answer


def test_figures_tab_finds_a_known_figure(page):
    page.get_by_role("tab", name="Figures").click()
    page.fill("#sg-figure-query input, #sg-figure-query textarea", "1,394")
    page.wait_for_function("() => document.querySelector('#sg-figures')?.innerText.includes('Camden MASH referrals')")
    # The grid renders its visible cells after the data arrives: wait for one before the screenshot.
    page.locator("#sg-figures span", has_text="Camden MASH referrals").first.wait_for(state="visible")
    page.screenshot(path=str(ARTIFACTS / "figures.png"))


def test_check_tab_flags_a_wrong_claim(page):
    page.get_by_role("tab", name="Check a claim").click()
    page.fill("#sg-claim textarea", "Camden had 199 looked after children at the end of 2018/19")
    page.click("#sg-check")
    page.wait_for_selector("#sg-verdict .sg-verdict")
    verdict = page.inner_text("#sg-verdict")
    assert "Contradicted" in verdict and "191" in verdict
    page.screenshot(path=str(ARTIFACTS / "check.png"))


UPLOAD_DONE = """([before, name]) => {
    const text = document.querySelector('#sg-library-status')?.innerText ?? '';
    const busy = /processing|\\d+(\\.\\d+)?s\\b/.test(text.split('\\n')[0]);
    return text !== before && !busy && text.includes(name) && /Added|Refused/.test(text);
}"""


def _upload(page, path: Path) -> str:
    page.get_by_role("tab", name="Library").click()
    before = page.inner_text("#sg-library-status")
    page.set_input_files("#sg-upload input[type=file]", str(path))
    page.wait_for_timeout(500)
    page.click("#sg-add")
    page.wait_for_function(UPLOAD_DONE, arg=[before, path.name], timeout=120_000)
    return page.inner_text("#sg-library-status")


def test_upload_ask_delete_a_pdf(page, tmp_path):
    pages = [
        ["Riverton Safeguarding Partnership", "Annual Report 2022/23"],
        ["1. Panel", "The Riverton panel reviewed 4,321 contacts in 2022/23."],
    ]
    pdf = write_pdf(tmp_path / "riverton-report.pdf", pages, header="Riverton SP - Annual Report 2022/23")
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4 this is not really a PDF")
    status = _upload(page, broken)
    assert "Refused" in status and "broken.pdf" in status
    status = _upload(page, pdf)
    assert "Added" in status and "riverton-report.pdf" in status
    assert "riverton-report.pdf" in page.inner_text("#sg-library")
    page.screenshot(path=str(ARTIFACTS / "library.png"))
    page.get_by_role("tab", name="Ask").click()
    answer = ask(page, "How many contacts did the Riverton panel review?")
    assert "4,321" in answer
    page.locator("#sg-cite label").first.click()
    page.wait_for_selector("#sg-page img")  # the cited PDF page, rendered
    assert "page 2" in page.inner_text("#sg-page figcaption")
    page.get_by_role("tab", name="Library").click()
    page.click("#sg-delete-doc input")
    page.get_by_role("option", name="riverton-report.pdf").click()
    page.click("#sg-delete-ask")  # asks first, naming the document
    page.wait_for_selector("#sg-delete-question strong")
    page.click("#sg-delete")
    page.wait_for_function("() => document.querySelector('#sg-library-status')?.innerText.includes('Deleted')")
    assert "riverton-report.pdf" not in page.inner_text("#sg-library")
    page.get_by_role("tab", name="Ask").click()
    assert "4,321" not in ask(page, "How many contacts did the Riverton panel review?")


def test_document_with_script_is_shown_as_text(page, tmp_path):
    hostile = tmp_path / "zebra-notes.md"
    hostile.write_text(
        "1. Zebra outreach\n"
        "The Zebra outreach team held 37 sessions in 2018/19 <script>window.__pwned = 1</script>.\n"
        'The team also wrote <img src=x onerror="window.__pwned = 2"> in its log.\n'
    )
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    assert "Added" in _upload(page, hostile)
    page.get_by_role("tab", name="Ask").click()
    answer = ask(page, "How many sessions did the Zebra outreach team hold?")
    assert "37" in answer
    assert "<script>" in page.inner_text("#sg-sources")  # shown as text, not run
    assert page.evaluate("() => window.__pwned") is None and not dialogs


@pytest.fixture(scope="module")
def auth_app(bundled_store, tmp_path_factory):
    root = tmp_path_factory.mktemp("auth")
    store = root / "store"
    shutil.copytree(bundled_store, store)
    hr = root / "hr"
    hr.mkdir()
    write_pdf(
        hr / "hr-casework-audit.pdf",
        [["Casework audit"], ["1. Findings", "Auditors sampled 812 case files."]],
        header="HR audit 2022/23",
    )
    ingest_paths([hr], Settings.from_env(store=store), collection="hr", progress=False)
    users = Users(root / "users.json")
    users.add("alice", "alice-password", "reader", ["default"])
    users.add("harriet", "harriet-password", "editor", ["hr"])
    users.save()
    with served(store, users.path) as url:
        yield url


def test_login_limits_a_reader_to_her_collection(browser, auth_app):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.goto(auth_app)
    page.get_by_label("username").fill("alice")
    page.get_by_label("password").fill("alice-password")
    page.get_by_role("button", name="Login").click()
    page.wait_for_selector("#sg-question textarea")
    page.wait_for_function("() => document.querySelector('#sg-who')?.innerText.includes('alice')")
    page.get_by_role("tab", name="Library").click()
    page.wait_for_function("() => document.querySelector('#sg-library')?.innerText.includes('camden')")
    assert "hr-casework-audit" not in page.inner_text("#sg-library")
    page.get_by_role("tab", name="Ask").click()
    assert "812" not in ask(page, "How many case files did the auditors sample?")
    context.close()


def test_direct_api_calls_are_checked_on_the_server(auth_app):
    anonymous = GradioHTTP(auth_app)
    assert anonymous.client.get(f"{auth_app}/config").status_code == 401
    alice = GradioHTTP(auth_app)
    assert alice.login("alice", "wrong-password") >= 400
    assert alice.login("alice", "alice-password") == 200
    fn = alice.event("sg-figure-query", "change")
    assert anonymous.call("sg-figure-query", "change", [""], fn=fn)[0] == 401
    status, data = alice.call("sg-figure-query", "change", ["812"], fn=fn)
    assert status == 200 and data[0]["data"] == []  # the hr figure is not hers
    status, data = alice.call("sg-figure-query", "change", ["1,394"], fn=fn)
    assert any("1,394" in row for row in data[0]["data"])
    _, deleted = alice.call("sg-delete", "click", ["camden-scb-annual-report-2018-19.txt"])
    assert "Only editors" in deleted[0]
    harriet = GradioHTTP(auth_app)
    assert harriet.login("harriet", "harriet-password") == 200
    _, data = harriet.call("sg-figure-query", "change", ["1,394"], fn=fn)
    assert data[0]["data"] == []
    _, verdict = harriet.call("sg-check", "click", ["Auditors sampled 812 case files in 2022/23"])
    assert "Supported" in verdict[0]


def test_figures_csv_writes_whole_numbers_plainly_and_escapes_formulas():
    import csv
    import io

    from app.web import FIGURE_HEADERS, _csv_text, _number

    rows = [['=HYPERLINK("http://x")', _number(191.0), "191", "count", "2018/19", "-1 Intro", 3, "a.pdf", ""]]
    rows.append(["rate", _number(12.5), "12.5%", "percent", "", "@sum", "", "b.pdf", "conflict"])
    read = list(csv.reader(io.StringIO(_csv_text(rows))))
    assert read[0] == FIGURE_HEADERS
    assert read[1][:3] == ['\'=HYPERLINK("http://x")', "191", "191"] and read[1][5] == "'-1 Intro"
    assert read[2][1] == "12.5" and read[2][5] == "'@sum"
