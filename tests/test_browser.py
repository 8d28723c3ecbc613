"""The built site in a real browser: Debian's headless Chromium, driven by its chromedriver.

The site is built once for the module and served on loopback; one browser serves every test.
Nothing is downloaded at test time (the driver's path is always given, so Selenium Manager
never runs). Without Debian's `chromium` and `chromium-driver` (which .ci/run installs) the
module skips. Screenshots of each page at each width are kept in site/_build/screenshots/.
"""

from __future__ import annotations

import ast
import base64
import functools
import http.server
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from selenium import webdriver
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support.select import Select
from selenium.webdriver.support.ui import WebDriverWait
from sitecheck import built_project

from conftest import ROOT

pytestmark = pytest.mark.slow

CHROMEDRIVER = Path("/usr/bin/chromedriver")
CHROMIUM = Path("/usr/bin/chromium")
NO_BROWSER = "no headless Chromium: install Debian's chromium and chromium-driver (.ci/run does)"
SCREENSHOTS = ROOT / "site" / "_build" / "screenshots"
"""The repository's own build folder (ignored by git): artefacts for a reader to look at."""

WIDTHS = [390, 1280]
HEIGHTS = {390: 844, 1280: 800}
PAGES = [
    "index.html",
    "compare.html",
    "codes/index.html",
    "codes/404.html",
    "sources/huaweicloud-iam-status-codes.html",
    "sources/kubernetes-api-conventions.html",
    "conflicts.html",
    "use.html",
    "classes/4xx.html",
    "guidelines/api-guideline-status-codes.html",
    "retry-policy.html",
]
SCREENSHOT_MAX_HEIGHT = 12000
"""Full-page screenshots are cut here (a long page is still readable at its top)."""


@dataclass(frozen=True)
class Site:
    project: Path
    url: str

    def page(self, path: str) -> str:
        return f"{self.url}/{path}"


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def driver() -> Iterator[webdriver.Chrome]:
    missing = [str(path) for path in (CHROMEDRIVER, CHROMIUM) if not path.exists()]
    if missing:
        pytest.skip(f"{NO_BROWSER} (missing: {', '.join(missing)})")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for argument in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
    ):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    try:
        chrome = webdriver.Chrome(
            service=Service(executable_path=str(CHROMEDRIVER)), options=options
        )
    except WebDriverException as error:
        pytest.skip(f"{NO_BROWSER} (starting it failed: {error.msg})")
    chrome.set_page_load_timeout(30)
    yield chrome
    chrome.quit()


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The real project's site, built once, served on 127.0.0.1 at an ephemeral port."""
    project = built_project(
        tmp_path_factory.getbasetemp() / "built-once",
        tmp_path_factory.mktemp("browser") / "project",
    )
    yield from served(project)


def served(project: Path) -> Iterator[Site]:
    """The project's built site, served on 127.0.0.1 at an ephemeral port until closed."""
    handler = functools.partial(_QuietHandler, directory=str(project / "site/_build/html"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Site(project, f"http://127.0.0.1:{server.server_address[1]}")
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def viewport(chrome: webdriver.Chrome, width: int) -> None:
    height = HEIGHTS[width]
    chrome.set_window_rect(width=width, height=height)
    chrome.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600},
    )


def load(chrome: webdriver.Chrome, url: str) -> None:
    """Open `url` with an empty console log, and wait until the page has loaded."""
    browser_log(chrome)
    chrome.get(url)
    WebDriverWait(chrome, 10).until(
        lambda d: d.execute_script("return document.readyState") == "complete"
    )


def number(chrome: webdriver.Chrome, script: str, *args: Any) -> float:
    value = chrome.execute_script(script, *args)
    assert isinstance(value, int | float), (script, value)
    return float(value)


def screenshot(chrome: webdriver.Chrome, path: Path, width: int) -> None:
    """The whole page (up to a limit) as a PNG."""
    height = min(
        number(chrome, "return document.documentElement.scrollHeight"), SCREENSHOT_MAX_HEIGHT
    )
    shot = chrome.execute_cdp_cmd(
        "Page.captureScreenshot",
        {
            "format": "png",
            "captureBeyondViewport": True,
            "clip": {"x": 0, "y": 0, "width": width, "height": height, "scale": 1},
        },
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(base64.b64decode(shot["data"]))


def browser_log(chrome: webdriver.Chrome) -> list[dict[str, Any]]:
    """The console's entries since the last call (reading them empties the log)."""
    entries = chrome.get_log("browser")  # type: ignore[no-untyped-call]
    assert isinstance(entries, list)
    return entries


def console_errors(chrome: webdriver.Chrome) -> list[str]:
    return [
        str(entry.get("message"))
        for entry in browser_log(chrome)
        if entry.get("level") == "SEVERE" and "favicon" not in str(entry.get("message", ""))
    ]


_PAST_THE_EDGE = """
const limit = window.innerWidth;
const clipped = el => {
  for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
    if (getComputedStyle(up).overflowX !== 'visible') return true;
  }
  return false;
};
const found = [];
for (const el of document.querySelectorAll('body *')) {
  const rect = el.getBoundingClientRect();
  if (rect.right > limit + 0.5 && rect.width > 0 && !clipped(el)) {
    const classes = typeof el.className === 'string' && el.className.trim()
      ? '.' + el.className.trim().split(/\\s+/).join('.') : '';
    found.push(el.tagName.toLowerCase() + classes + ' right=' + Math.round(rect.right));
  }
}
return found.slice(0, 8);
"""


@dataclass(frozen=True)
class Visit:
    """What one load of a page at one width showed."""

    page_width: float
    inner_width: float
    past_the_edge: list[str]
    console_errors: list[str]


@pytest.fixture(scope="module")
def visits() -> dict[tuple[str, int], Visit]:
    """Each page is loaded once a width; the tests that only look share the load."""
    return {}


def visit(
    chrome: webdriver.Chrome, site: Site, seen: dict[tuple[str, int], Visit], path: str, width: int
) -> Visit:
    if (path, width) not in seen:
        viewport(chrome, width)
        load(chrome, site.page(path))
        name = f"{path.replace('/', '-').removesuffix('.html')}-{width}.png"
        screenshot(chrome, SCREENSHOTS / name, width)
        page_width = number(chrome, "return document.documentElement.scrollWidth")
        inner_width = number(chrome, "return window.innerWidth")
        edge = chrome.execute_script(_PAST_THE_EDGE) if page_width > inner_width else []
        assert isinstance(edge, list)
        seen[path, width] = Visit(
            page_width, inner_width, [str(item) for item in edge], console_errors(chrome)
        )
    return seen[path, width]


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("path", PAGES)
def test_no_page_is_wider_than_the_viewport(
    driver: webdriver.Chrome,
    site: Site,
    visits: dict[tuple[str, int], Visit],
    path: str,
    width: int,
) -> None:
    seen = visit(driver, site, visits, path, width)
    assert seen.inner_width == width, f"the browser's viewport is {seen.inner_width} px"
    assert seen.page_width <= seen.inner_width, (
        f"{path} at {width} px is {seen.page_width} px wide; "
        f"elements past the edge: {seen.past_the_edge}"
    )


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("path", PAGES)
def test_no_console_errors(
    driver: webdriver.Chrome,
    site: Site,
    visits: dict[tuple[str, int], Visit],
    path: str,
    width: int,
) -> None:
    assert visit(driver, site, visits, path, width).console_errors == []


_SCROLLER = """
let el = arguments[0].parentElement;
while (el && el !== document.documentElement) {
  const overflow = getComputedStyle(el).overflowX;
  if (overflow === 'auto' || overflow === 'scroll') return el;
  el = el.parentElement;
}
return null;
"""


def rect(chrome: webdriver.Chrome, element: WebElement) -> dict[str, float]:
    found = chrome.execute_script(
        "const r = arguments[0].getBoundingClientRect();"
        "return {left: r.left, right: r.right, width: r.width};",
        element,
    )
    assert isinstance(found, dict)
    return {key: float(value) for key, value in found.items()}


@pytest.mark.parametrize("width", WIDTHS)
def test_the_matrix_last_column_can_be_scrolled_into_view(
    driver: webdriver.Chrome, site: Site, width: int
) -> None:
    viewport(driver, width)
    load(driver, site.page("compare.html"))
    table = driver.find_element(By.CSS_SELECTOR, "table.sd-matrix")
    scroller = driver.execute_script(_SCROLLER, table)
    assert isinstance(scroller, WebElement), "the matrix has no horizontal scroll container"
    driver.execute_script("arguments[0].scrollLeft = arguments[0].scrollWidth;", scroller)
    last = table.find_elements(By.CSS_SELECTOR, "thead tr:first-child th")[-1]
    view = number(driver, "return document.documentElement.clientWidth")
    last_rect = rect(driver, last)
    assert last_rect["left"] >= 0 and last_rect["right"] <= view + 0.5, (
        f"last header cell {last.text!r} at {last_rect} after scrolling; viewport {view} px"
    )
    stubs = table.find_elements(By.CSS_SELECTOR, "tbody tr > th")
    assert stubs, "the matrix's rows have no stub column"
    hidden = [
        (stub.text, stub_rect)
        for stub in stubs
        if not ((stub_rect := rect(driver, stub))["left"] >= 0 and stub_rect["right"] > 0)
    ]
    assert hidden == [], (
        f"{len(hidden)} of {len(stubs)} stub cells scroll out of view, e.g. {hidden[:3]}"
    )


def test_searching_404_lists_its_code_page_first(driver: webdriver.Chrome, site: Site) -> None:
    viewport(driver, 1280)
    load(driver, site.page("search.html?q=404"))
    WebDriverWait(driver, 10).until(
        lambda d: (
            d.find_elements(By.CSS_SELECTOR, "#search-results li")
            or d.execute_script(
                "const s = document.querySelector('#search-results .search-summary');"
                "return s !== null && s.innerText.trim() !== '';"
            )
        )
    )
    summary = driver.find_elements(By.CSS_SELECTOR, "#search-results .search-summary")
    links = driver.find_elements(By.CSS_SELECTOR, "#search-results li a")
    assert links, f"no results: {summary[0].text if summary else '(no summary)'}"
    hrefs = [urlsplit(link.get_attribute("href") or "").path for link in links[:5]]
    assert hrefs[0].endswith("/codes/404.html"), f"the first results are {hrefs}"


def test_search_finds_names_and_its_snippets_leave_out_the_badges(
    driver: webdriver.Chrome, site: Site
) -> None:
    viewport(driver, 1280)
    load(driver, site.page("search.html?q=StatusNotFound"))
    WebDriverWait(driver, 10).until(
        lambda d: d.find_elements(By.CSS_SELECTOR, "#search-results li a")
    )
    first = driver.find_elements(By.CSS_SELECTOR, "#search-results li a")[0]
    assert urlsplit(first.get_attribute("href") or "").path.endswith("/codes/404.html")
    load(driver, site.page("search.html?q=backoff"))
    WebDriverWait(driver, 10).until(
        lambda d: d.find_elements(By.CSS_SELECTOR, "#search-results li p.context")
    )
    snippets = [p.text for p in driver.find_elements(By.CSS_SELECTOR, "#search-results p")]
    assert any("backoff" in text for text in snippets), snippets
    assert not any("says retry" in text or "≈" in text for text in snippets), snippets
    assert console_errors(driver) == []


@pytest.mark.parametrize("width", WIDTHS)
def test_filtering_the_matrix_to_one_source_hides_the_others(
    driver: webdriver.Chrome, site: Site, width: int
) -> None:
    viewport(driver, width)
    load(driver, site.page("compare.html"))
    toolbars = driver.find_elements(By.CSS_SELECTOR, "div.sd-filter")
    assert toolbars, "compare.html has no filter toolbar (div.sd-filter)"
    described = {
        " ".join(
            [element.accessible_name or ""]
            + [element.get_attribute(name) or "" for name in ("name", "id", "aria-label")]
        ): element
        for element in toolbars[0].find_elements(By.TAG_NAME, "select")
    }
    selects = [element for words, element in described.items() if "source" in words.lower()]
    assert selects, f"the filter toolbar has no Source <select>, only {list(described)}"
    choice = Select(selects[0])
    assert len(choice.options) >= 3, "the Source filter offers fewer than two sources"
    chosen = choice.options[1]
    wanted = {chosen.text.strip(), (chosen.get_attribute("value") or "").strip()}
    choice.select_by_index(1)
    table = driver.find_element(By.CSS_SELECTOR, "table.sd-matrix")
    headers = table.find_elements(By.CSS_SELECTOR, "thead th")
    # A source's header cell links to its page; its name is the link's text (the cell may
    # also hold a sort control).
    sources = {
        (links[0].get_attribute("textContent") or "").strip(): cell
        for cell in headers
        if (links := cell.find_elements(By.CSS_SELECTOR, "a[href*='sources/']"))
    }
    assert len(sources) >= 2, f"the matrix shows fewer than two sources: {list(sources)}"
    shown = sorted(name for name, cell in sources.items() if cell.is_displayed())
    assert any(name in wanted for name in sources), (
        f"the option {wanted} names none of the matrix's sources {list(sources)}"
    )
    assert shown == sorted(name for name in sources if name in wanted), (
        f"after choosing {chosen.text!r}, the visible source columns are {shown}"
    )


def _code_blocks(chrome: webdriver.Chrome) -> list[tuple[str, str]]:
    """Each code block of the page: (its language, its text as a reader would copy it)."""
    blocks = chrome.execute_script(
        """
        return [...document.querySelectorAll('article pre')].map(pre => {
          const box = pre.closest('[class*="highlight-"]');
          const language = box ? [...box.classList].find(c => c.startsWith('highlight-')) : '';
          return [language ? language.slice('highlight-'.length) : '', pre.innerText];
        });
        """
    )
    assert isinstance(blocks, list)
    return [(str(language), str(text)) for language, text in blocks]


def _sources_named(conf: str) -> list[str]:
    for node in ast.walk(ast.parse(conf)):
        if isinstance(node, ast.Assign) and any(
            isinstance(target, ast.Name) and target.id == "statusdocs_sources"
            for target in node.targets
        ):
            value = ast.literal_eval(node.value)
            return [value] if isinstance(value, str) else list(value)
    return []


@pytest.mark.parametrize("markup", ["rst", "md"])
def test_the_use_page_snippets_build_in_a_fresh_project(
    driver: webdriver.Chrome, site: Site, tmp_path: Path, markup: str
) -> None:
    viewport(driver, 1280)
    load(driver, site.page("use.html"))
    blocks = _code_blocks(driver)
    confs = [text for language, text in blocks if language == "python" and "statusdocs" in text]
    snippets = [text for language, text in blocks if language == markup]
    assert confs, f"use.html has no conf.py snippet; its blocks: {blocks}"
    assert snippets, f"use.html has no {markup} snippet; its blocks: {blocks}"
    conf = confs[0]
    source = tmp_path / "docs"
    source.mkdir()
    names = _sources_named(conf)
    assert names, f"the conf.py snippet names no statusdocs_sources:\n{conf}"
    for name in names:
        shutil.copytree(ROOT / "sources", source / name)
    if markup == "md":
        # A MyST project already has MyST's parser among its extensions.
        conf += '\nextensions.append("myst_parser")\n'
        page = "# Status codes\n\n" + snippets[0]
    else:
        page = "Status codes\n============\n\n" + snippets[0]
    (source / "conf.py").write_text(conf, "utf-8")
    (source / f"index.{markup}").write_text(page, "utf-8")
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "sphinx",
            "-W",
            "-q",
            "-b",
            "html",
            str(source),
            str(tmp_path / "out"),
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, (
        f"index.{markup}:\n{page}\nconf.py:\n{conf}\n{done.stdout}{done.stderr}"
    )
    assert "404" in (tmp_path / "out" / "index.html").read_text("utf-8")
