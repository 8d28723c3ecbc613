"""Long tables in the browser: a page of rows at a time, a filter over all of them, and a
link to a row on a later page that turns to it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from selenium import webdriver
from selenium.webdriver.common.by import By
from test_browser import Site, console_errors, driver, load, served, viewport

__all__ = ["driver"]  # the browser, a fixture of test_browser's, shared here


LONG_ROWS = 250
"""Rows of the long source: more than two pages of the tables' 100 rows a page."""


@pytest.fixture(scope="module")
def long_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """A new project with one source of `LONG_ROWS` rows, built and served."""
    from statusdocs.cli import main
    from statusdocs.scaffold import init_project

    project = tmp_path_factory.mktemp("long") / "project"
    init_project(project)
    lines = ["| Error code | HTTP status | Description |", "|---|---|---|"]
    codes = (400, 404, 409, 429, 500, 503)
    for number in range(1, LONG_ROWS + 1):
        lines.append(f"| E{number:04} | {codes[number % 6]} | Application error {number}. |")
    (project / "sources" / "catalogue.md").write_text("\n".join(lines) + "\n", "utf-8")
    assert main(["build", "-q", "--project", str(project)]) == 0
    yield from served(project)


def _shown_codes(chrome: webdriver.Chrome) -> list[str]:
    """The first cell of each row a reader sees, asked of the page in one call."""
    codes = chrome.execute_script(
        """return [...document.querySelectorAll('table.sd-source-table tbody tr')]
             .filter(row => row.offsetParent !== null)
             .map(row => row.cells[0].innerText.trim());"""
    )
    assert isinstance(codes, list)
    return [str(code) for code in codes]


def test_a_long_table_is_shown_a_page_at_a_time(driver: webdriver.Chrome, long_site: Site) -> None:
    viewport(driver, 1280)
    load(driver, long_site.page("sources/catalogue.html"))
    status = driver.find_element(By.CSS_SELECTOR, ".sd-filter-status")
    where = driver.find_element(By.CSS_SELECTOR, ".sd-page-where")
    assert (status.text, where.text) == ("Showing 1–100 of 250 rows", "Page 1 of 3")
    shown = _shown_codes(driver)
    assert (len(shown), shown[0], shown[-1]) == (100, "E0001", "E0100")
    driver.find_element(By.XPATH, "//button[text()='Next']").click()
    assert (status.text, where.text) == ("Showing 101–200 of 250 rows", "Page 2 of 3")
    assert _shown_codes(driver)[0] == "E0101"
    # A filter counts the matching rows and starts again at their first page.
    search = driver.find_element(By.CSS_SELECTOR, ".sd-filter input[type='search']")
    search.send_keys("error 24")
    assert status.text == "Showing 11 of 250 rows"  # 24 and 240-249
    assert not driver.find_element(By.CSS_SELECTOR, ".sd-pager").is_displayed()
    assert console_errors(driver) == []


def test_a_link_to_a_row_on_another_page_shows_that_page(
    driver: webdriver.Chrome, long_site: Site
) -> None:
    viewport(driver, 1280)
    load(driver, long_site.page("index.html"))  # a fresh load, not a jump within the page
    # Row E0240 is on line 242 of the file (a header and a delimiter row before it).
    load(driver, long_site.page("sources/catalogue.html#source-catalogue-line-242"))
    assert driver.find_element(By.CSS_SELECTOR, ".sd-page-where").text == "Page 3 of 3"
    target = driver.find_element(By.ID, "source-catalogue-line-242")
    row = target.find_element(By.XPATH, "./ancestor-or-self::tr")
    assert row.is_displayed() and row.find_element(By.TAG_NAME, "td").text == "E0240"
    # A code page lists every source's rows for its code in a table that filters too.
    load(driver, long_site.page("codes/404.html"))
    status = driver.find_element(By.CSS_SELECTOR, ".sd-filter-status")
    assert status.text == "Showing 43 of 43 rows"  # 42 of the catalogue's, 1 of the example


def test_sorting_starts_again_at_the_first_page(driver: webdriver.Chrome, long_site: Site) -> None:
    viewport(driver, 1280)
    load(driver, long_site.page("index.html"))
    load(driver, long_site.page("sources/catalogue.html#%"))  # no such target, no harm
    assert console_errors(driver) == []
    driver.find_element(By.XPATH, "//button[text()='Next']").click()
    assert driver.find_element(By.CSS_SELECTOR, ".sd-page-where").text == "Page 2 of 3"
    driver.find_element(By.CSS_SELECTOR, "table.sd-source-table th button.sd-sort").click()
    assert driver.find_element(By.CSS_SELECTOR, ".sd-page-where").text == "Page 1 of 3"
    driver.find_element(By.CSS_SELECTOR, "table.sd-source-table th button.sd-sort").click()
    assert _shown_codes(driver)[0] == "E0250"  # descending: the last code first
