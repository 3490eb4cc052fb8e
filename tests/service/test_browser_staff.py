"""The staff pages of issue 20 in a real browser, at desktop (1366 px) and phone (390 px) width: the agency, place and
document indexes, the 分工表 (and its print layout), the deadlines page as of a date, and the chat form without
JavaScript. Screenshots go to ``tests/screenshots/``."""

from __future__ import annotations

import pytest

from tests.service.test_browser import SHOTS, base_url, context, page, sync_api  # noqa: F401 - fixtures

pytestmark = [pytest.mark.browser, pytest.mark.slow]
WIDTHS = {"desktop": (1366, 900), "phone": (390, 844)}
PAGES = {"agencies": "/ui/agencies", "places": "/ui/places", "documents": "/ui/documents",
         "document": "/ui/documents/jzbf-2022-95", "division": "/ui/division?plan=water",
         "deadlines-asof": "/ui/deadlines?as_of=2023-03-01"}


@pytest.mark.parametrize("width", sorted(WIDTHS))
@pytest.mark.parametrize("name", sorted(PAGES))
def test_staff_pages(base_url: str, page: tuple, name: str, width: str) -> None:  # noqa: F811
    p, _rec = page
    p.set_viewport_size(dict(zip(("width", "height"), WIDTHS[width], strict=True)))
    p.goto(base_url + PAGES[name])
    SHOTS.mkdir(exist_ok=True)
    p.screenshot(path=str(SHOTS / f"staff-{name}-{width}.png"), full_page=False)
    text = p.inner_text("main")
    assert "FREQ=" not in text and "P6M" not in text and not any(f"{k}#" in text for k in ("water", "air", "soil"))
    overflow = p.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 1, f"{name} at {width} scrolls sideways by {overflow}px"  # wide tables scroll in their box


def test_from_the_agency_index_to_its_division_table(base_url: str, page: tuple) -> None:  # noqa: F811
    p, _rec = page
    p.goto(base_url + "/")
    p.click("nav >> text=单位")
    p.click("text=山西省水利厅")
    p.click(".actions a:text-is('分工表')")
    assert "/ui/division?agency=" in p.url
    rows = p.locator("table.division tbody tr")
    assert rows.count() > 3
    p.emulate_media(media="print")
    assert p.locator("#ask").is_hidden()
    p.screenshot(path=str(SHOTS / "staff-division-print.png"))


def test_the_chat_form_without_javascript(base_url: str, context) -> None:  # noqa: F811
    browser = context.browser or context
    p = context.new_page()
    try:
        p.route("**/*.js", lambda route: route.abort())
        p.goto(base_url + "/")
        p.fill("#ask-input", "水利厅牵头哪些任务?")
        p.press("#ask-input", "Enter")
        p.wait_for_url("**/ui/ask?**")
        assert p.locator(".answer-tasks li").count() >= 1
        p.screenshot(path=str(SHOTS / "staff-ask-nojs.png"))
    finally:
        p.close()
    assert browser is not None
