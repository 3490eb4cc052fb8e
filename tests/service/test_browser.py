"""The staff pages in a real browser: Debian's Chromium driven by Playwright against the app served by uvicorn on a
loopback port. A staff member's walk (search, narrow by agency, open a task, go to its lead agency, ask, follow a
citation), every page at phone width, the weight of ``/`` and that no request leaves the machine. Screenshots of each
page go to ``tests/screenshots/``."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest

from tests.service.helpers import plan_kb_server

CHROMIUM = Path("/usr/bin/chromium")
SHOTS = Path(__file__).parents[1] / "screenshots"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--disable-quic", "--no-first-run"]

pytestmark = [pytest.mark.browser, pytest.mark.slow,
              pytest.mark.skipif(not CHROMIUM.exists(), reason="no Chromium at /usr/bin/chromium "
                                 "(install the Debian package: bash scripts/test-deps.sh)")]
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")


@pytest.fixture(scope="module")
def base_url(kb_data: Path) -> Iterator[str]:
    """``plan-kb serve`` on a free loopback port, over the session's knowledge base."""
    with plan_kb_server(kb_data) as base:
        yield base


@pytest.fixture(scope="module")
def context(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    """A headless Chromium with an empty profile of its own."""
    profile = tmp_path_factory.mktemp("chromium-profile")
    with sync_api.sync_playwright() as pw:
        ctx = pw.chromium.launch_persistent_context(
            str(profile), executable_path=str(CHROMIUM), headless=True, args=ARGS, locale="zh-CN",
            viewport={"width": 1280, "height": 900})
        try:
            yield ctx
        finally:
            ctx.close()


class Recorder:
    """Every request a page makes, and the bytes of every response."""

    def __init__(self) -> None:
        self.urls: list[str] = []
        self.bytes = 0

    def attach(self, page: object) -> None:
        page.on("request", lambda r: self.urls.append(r.url))
        page.on("response", self._response)

    def _response(self, resp: object) -> None:
        with contextlib.suppress(Exception):  # a redirect or an aborted request has no body
            self.bytes += len(resp.body())

    def assert_local(self) -> None:
        outside = [u for u in self.urls if urlparse(u).hostname != "127.0.0.1" and not u.startswith(("data:",
                                                                                                     "about:"))]
        assert not outside, f"requests left the machine: {outside}"


@pytest.fixture
def page(context: object) -> Iterator[tuple[object, Recorder]]:
    p = context.new_page()
    rec = Recorder()
    rec.attach(p)
    try:
        yield p, rec
    finally:
        rec.assert_local()
        p.close()


def shot(page: object, name: str, full: bool = True, element: str | None = None) -> None:
    """A PNG of the page (whole, or the window, or one element) for a person to look at."""
    SHOTS.mkdir(exist_ok=True)
    path = str(SHOTS / f"{name}.png")
    if element:
        page.locator(element).screenshot(path=path)
    else:
        page.screenshot(path=path, full_page=full)


def test_staff_walk(page: tuple[object, Recorder], base_url: str) -> None:
    p, rec = page
    expect = sync_api.expect
    p.goto(base_url + "/")
    p.evaluate("sessionStorage.clear()")
    # search 焦化
    p.get_by_label("检索任务、保障措施和目标").fill("焦化")
    p.keyboard.press("Enter")
    p.wait_for_url(re.compile(r"q=%E7%84%A6%E5%8C%96"))
    expect(p.locator(".hit mark").first).to_have_text("焦化")
    total = int(re.search(r"共 (\d+) 条", p.locator("#hits-title").inner_text()).group(1))
    assert total >= 3
    shot(p, "01-search")
    # narrow by agency: an agency that supports a 焦化 task somewhere, so a task with a lead is among its hits
    facet = p.locator('ul[data-facet="agency"] a', has_text="山西省商务厅")
    facet.click()
    p.wait_for_url(re.compile(r"agency=sx-commerce"))
    narrowed = int(re.search(r"共 (\d+) 条", p.locator("#hits-title").inner_text()).group(1))
    assert 0 < narrowed < total
    expect(p.locator('ul[data-facet="agency"] a.selected')).to_contain_text("山西省商务厅")
    shot(p, "02-search-by-agency")
    # open a task that has a lead agency
    hit = p.locator(".hit", has_text="牵头:").first
    hit.locator("h3 a").click()
    p.wait_for_url(re.compile(r"/ui/tasks/[a-z]+/\d+$"))
    expect(p.locator(".task-text a.m-agency").first).to_be_visible()
    expect(p.locator("table.facts")).to_be_visible()
    expect(p.locator(".crumbs li").first).to_contain_text("行动计划")
    shot(p, "03-task")
    # go to its lead agency
    lead = p.locator(".task-text a.m-lead").first
    lead_name = lead.inner_text()
    lead.click()
    p.wait_for_url(re.compile(r"/ui/agencies/[A-Za-z0-9._~-]+$"))
    expect(p.locator("h1")).to_be_visible()
    expect(p.locator("table.matrix")).to_be_visible()
    expect(p.locator("a", has_text="订阅期限日历")).to_have_attribute("href", re.compile(r"^/calendar\.ics\?agency="))
    agency_label = p.locator("h1").inner_text()
    assert lead_name in agency_label or p.locator(".names", has_text=lead_name).count()
    shot(p, "04-agency", full=False)
    # ask about it
    p.get_by_label(re.compile("向知识库提问")).fill("它牵头哪些任务?")
    p.get_by_role("button", name="提问", exact=True).click()
    answer = p.locator(".ask-a").last
    expect(answer).to_contain_text("牵头")
    expect(p.locator(".ask-q").last).to_contain_text(agency_label)
    cites = answer.locator("a.cite")
    expect(cites.first).to_be_visible()
    assert cites.count() >= 2
    # the answer's tasks are a list, one task a line
    expect(answer.locator("ul.answer-list li").first).to_be_visible()
    assert answer.locator("ul.answer-list li").count() == cites.count()
    shot(p, "05-ask", element="#ask")
    # a follow-up leans on the conversation
    p.get_by_label(re.compile("向知识库提问")).fill("那配合的呢?")
    p.get_by_role("button", name="提问", exact=True).click()
    expect(p.locator(".ask-a")).to_have_count(2)
    expect(p.locator(".ask-a").last).to_contain_text("配合")
    # follow a citation
    href = cites.first.get_attribute("href")
    cites.first.click()
    p.wait_for_url(base_url + href)
    expect(p.locator(".task-text")).to_be_visible()
    expect(p.locator(".ask-a")).to_have_count(2)  # the conversation travels with the tab
    shot(p, "06-cited-task")
    assert len(rec.urls) > 10


def test_other_pages_render(page: tuple[object, Recorder], base_url: str) -> None:
    p, _rec = page
    expect = sync_api.expect
    p.goto(base_url + "/ui/deadlines?today=2023-01-01")
    expect(p.locator(".overdue h2")).to_contain_text("已逾期")
    expect(p.locator("section.month").first).to_be_visible()
    p.get_by_label("单位").select_option("sx-ecology-environment")
    p.get_by_role("button", name="筛选").click()
    p.wait_for_url(re.compile(r"agency=sx-ecology-environment"))
    expect(p.locator("h1")).to_contain_text("山西省生态环境厅")
    shot(p, "07-deadlines", full=False)
    p.goto(base_url + "/ui/sparql")
    p.locator(".examples a").first.click()
    p.wait_for_url(re.compile(r"/ui/sparql\?query="))
    expect(p.locator("table.results-table")).to_be_visible()
    expect(p.locator("a", has_text="CSV")).to_have_attribute("href", re.compile(r"^/sparql\?query=.*format=csv"))
    shot(p, "08-sparql")
    p.goto(base_url + "/ui/places/140900")
    expect(p.locator("h1")).to_have_text("忻州市")
    shot(p, "09-place")
    p.goto(base_url + "/ui/agencies/no-such-agency")
    expect(p.locator("h1")).to_have_text("未找到")


def test_home_weight_and_fonts(page: tuple[object, Recorder], base_url: str) -> None:
    p, rec = page
    p.goto(base_url + "/", wait_until="networkidle")
    assert rec.bytes < 300 * 1024, f"/ weighs {rec.bytes} bytes"
    assert len(rec.urls) >= 3  # the page, its CSS and JS
    # Chinese text is laid out in a real font (a missing glyph box would be as wide as any other character)
    widths = p.evaluate("""() => { const c = document.createElement('canvas').getContext('2d');
        c.font = '16px ' + getComputedStyle(document.body).fontFamily;
        return [c.measureText('焦化').width, c.measureText('\\u{10FFFD}\\u{10FFFD}').width]; }""")
    assert widths[0] > 20


def test_keyboard_and_phone_width(page: tuple[object, Recorder], base_url: str) -> None:
    p, _rec = page
    p.set_viewport_size({"width": 375, "height": 812})
    for path, name in (("/?q=焦化", "10-phone-search"), ("/ui/tasks/water/1", "11-phone-task"),
                       ("/ui/agencies/sx-ecology-environment", "12-phone-agency"),
                       ("/ui/deadlines", "13-phone-deadlines"), ("/ui/sparql", "14-phone-sparql")):
        p.goto(base_url + path)
        overflow = p.evaluate("document.documentElement.scrollWidth")
        assert overflow <= 375, f"{path} is {overflow}px wide at 375px"
        shot(p, name, full=False)
    # at phone width the chat's answer is a list too, and nothing runs off the screen
    p.goto(base_url + "/ui/deadlines")
    p.get_by_label(re.compile("向知识库提问")).fill("住建厅在水这块牵头哪些任务?")
    p.get_by_role("button", name="提问", exact=True).click()
    items = p.locator(".ask-a").last.locator("ul.answer-list li")
    sync_api.expect(items.first).to_be_visible()
    assert items.count() >= 2
    assert p.evaluate("document.documentElement.scrollWidth") <= 375
    shot(p, "15-phone-ask", full=False)
    # the first Tab reaches the skip link, which moves focus to the content
    p.goto(base_url + "/")
    p.keyboard.press("Tab")
    focused = p.evaluate("document.activeElement.textContent")
    assert focused == "跳到正文"
    outline = p.evaluate("getComputedStyle(document.activeElement).left")
    assert outline != "-999px"  # visible when focused
    p.keyboard.press("Enter")
    assert p.evaluate("location.hash") == "#main"
    # the search form works from the keyboard alone
    p.keyboard.press("Tab")
    p.keyboard.press("Tab")
    p.keyboard.type("焦化")
    p.keyboard.press("Enter")
    p.wait_for_url(re.compile(r"q="))
    assert p.locator(".hit").count() >= 1


def test_api_docs_render_offline(page: tuple[object, Recorder], base_url: str) -> None:
    """Swagger UI and ReDoc come from files installed with the package: with every request off the machine aborted,
    /docs lists the operations and /redoc renders the API."""
    p, rec = page
    blocked: list[str] = []

    def only_local(route: object) -> None:
        url = route.request.url
        if urlparse(url).hostname == "127.0.0.1" or url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            blocked.append(url)
            route.abort()

    p.route("**/*", only_local)
    p.goto(base_url + "/docs", wait_until="networkidle")
    expect = sync_api.expect
    expect(p.locator(".swagger-ui .info .title")).to_contain_text("plan-kb")
    expect(p.locator("#operations-SPARQL-sparql_query_get")).to_be_visible()
    assert p.locator(".opblock").count() >= 20
    shot(p, "docs-swagger", full=False)
    p.goto(base_url + "/redoc", wait_until="networkidle")
    expect(p.locator("h1")).to_contain_text("plan-kb")
    expect(p.locator('[id="operation/sparql_query_get"]')).to_be_attached()
    shot(p, "docs-redoc", full=False)
    assert not blocked, f"the documentation asked for files off the machine: {blocked}"
    assert all(urlparse(u).hostname == "127.0.0.1" for u in rec.urls if u.startswith("http"))
