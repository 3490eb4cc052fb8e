"""The page /ui/check in a real browser: upload the example CSV, check it, see the verdicts with the tasks linked,
and the download link of the result (screenshot in ``tests/screenshots/``)."""

from __future__ import annotations

import pytest

from plan_kb.base.resources import ROOT
from tests.service.test_browser import CHROMIUM, base_url, context, page, shot  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.slow,
              pytest.mark.skipif(not CHROMIUM.exists(), reason="no Chromium at /usr/bin/chromium")]


def test_upload_check_and_download(page, base_url: str) -> None:  # noqa: F811
    p, rec = page
    p.goto(base_url + "/ui/check")
    p.set_input_files("#check-file", str(ROOT / "api" / "examples" / "check-records.csv"))
    p.wait_for_function("document.getElementById('check-records').value.includes('coke-nox-2024')")
    p.click("#check-form button[type=submit]")
    p.wait_for_selector("table.check-results")
    assert p.locator("tr.breaks").count() >= 5
    link = p.locator("tr.breaks a[href='/ui/tasks/air/5']").first
    assert link.is_visible()
    assert p.locator("a[download='check.csv']").get_attribute("href").startswith("data:text/csv")
    shot(p, "check")
    link.click()
    p.wait_for_url("**/ui/tasks/air/5")
    rec.assert_local()
