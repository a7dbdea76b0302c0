"""The web timeline (``export --to site``) in headless Chromium, from ``file://``: no console
error, no request outside the folder, the slider changes the facts shown (and they are the
engine's), every link resolves, hostile texts stay text."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.web.browser import Browser, Page
from timeline.api import human_date, parse_day
from timeline.app import Archive
from timeline.formats import Selection, export_path

#: The facts shown, as the page lists them: (status, statement) of each.
SHOWN = """[...document.querySelectorAll('#fact-list > li.fact')].map(li => [
  li.querySelector('.status').textContent, li.querySelector('.statement').textContent])"""


@pytest.fixture(scope="module")
def site(seed: Archive, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("web") / "site"
    export_path(seed, "site", folder)
    return folder


@pytest.fixture(scope="module")
def page(browser: Browser, site: Path) -> Iterator[Page]:
    opened = browser.new_page()
    opened.goto((site / "index.html").as_uri())
    opened.wait_for("window.hindsight !== undefined")
    yield opened
    opened.close()


def slide(page: Page, day: int) -> list[list[str]]:
    """Move the slider to ``day`` as a user does (its value, then an input event)."""
    page.eval(f"(() => {{ const s = document.getElementById('day'); s.value = '{day}'; "
              "s.dispatchEvent(new Event('input', {bubbles: true})); })()")
    shown: list[list[str]] = page.eval(SHOWN)
    return shown


def expected(seed: Archive, day: int, entity: str | None = None) -> list[list[str]]:
    return [[f.status, f.statement] for f in seed.as_of(day, None, [entity] if entity else ())
            .facts]


def test_the_page_loads_offline_without_errors(page: Page, site: Path) -> None:
    assert page.errors == []
    assert page.requests and all(url.startswith(site.as_uri() + "/") for url in page.requests)
    bars = page.eval("document.querySelectorAll('#strip svg g.bar').length")
    assert bars == page.eval("window.hindsight.data.bars.length") == 137
    assert page.eval("document.querySelectorAll('#strip svg text.year').length") >= 5
    assert page.eval("getComputedStyle(document.body).margin") == "0px"  # site.css applied


def test_the_slider_changes_the_facts_to_the_engines_state(page: Page, seed: Archive) -> None:
    early, late = parse_day("2019-08-01"), parse_day("2023-11-20")
    first = slide(page, early)
    assert first == expected(seed, early) and first
    assert page.eval("document.getElementById('day-label').textContent") == human_date(early)
    second = slide(page, late)
    assert second == expected(seed, late) and second != first
    assert page.eval("document.getElementById('facts-heading').textContent") == (
        f"Facts on {human_date(late)} ({len(second)})")
    assert page.eval("document.querySelectorAll('#strip g.bar.on').length") == len(second)
    # the buttons step from change to change
    page.eval("document.getElementById('next').click()")
    after = int(page.eval("document.getElementById('day').value"))
    assert after > late and page.eval(SHOWN) == expected(seed, after)
    assert page.errors == []


def test_every_day_shows_the_last_moment_at_or_before_it(page: Page, seed: Archive) -> None:
    data: dict[str, Any] = page.eval("window.hindsight.data")
    days = [m[0] for m in data["moments"]]
    for day in (days[3] + 1, (days[20] + days[21]) // 2, days[-1] + 5, data["range"][0]):
        assert slide(page, day) == expected(seed, min(max(day, data["range"][0]),
                                                      data["range"][1]))


def _links(page: Page) -> list[str]:
    found: list[str] = page.eval(
        "[...document.querySelectorAll('a[href], [src], link[href]')]"
        ".map(e => e.getAttribute('href') || e.getAttribute('src'))")
    return found


def test_every_link_resolves(browser: Browser, page: Page, site: Path) -> None:
    # the links of every moment: the slider at each
    links = set(_links(page))
    for day in page.eval("window.hindsight.data.moments.map(m => m[0])"):
        page.eval(f"window.hindsight.choose({day})")
        links |= set(_links(page))
    sources = browser.new_page()
    try:
        sources.goto((site / "sources.html").as_uri())
        assert sources.errors == []
        back = set(_links(sources))
        checked = 0
        for link, where in [(a, "index.html") for a in links] + [(a, "sources.html")
                                                                   for a in back]:
            assert not link.startswith(("http:", "https:", "//")), link  # nothing elsewhere
            name, _, anchor = link.partition("#")
            target = site / (name or where)
            assert target.is_file(), link
            if anchor:
                other = browser.new_page()
                other.goto(target.as_uri())
                assert other.eval(f"document.getElementById({json.dumps(anchor)}) !== null"), link
                other.close()
            checked += 1
        assert checked >= 8 and any(a.startswith("sources.html#source-") for a in links)
        # a quote's source opens sources.html at its entry
        page.eval("window.hindsight.choose(window.hindsight.data.range[1])")
        page.eval("document.querySelector('#fact-list cite a').click()")
        page.wait_for("location.pathname.endsWith('/sources.html')")
        page.wait_for("document.querySelector(':target') !== null")
        assert page.eval("document.querySelector(':target').className") == "source"
    finally:
        sources.close()
        page.goto((site / "index.html").as_uri())
        page.wait_for("window.hindsight !== undefined")


def test_day_words_match_the_engines(page: Page) -> None:
    days = [parse_day(d) for d in ("2023-11-30", "2024-02-29", "1970-01-01", "-0043-03-15",
                                   "0000-12-31", "1582-10-15")]
    assert page.eval(f"{days}.map(d => window.hindsight.dayWords(d))") == [
        human_date(d) for d in days]


HOSTILE = "</script><img src=x onerror=\"document.title='owned'\">"


def test_hostile_texts_stay_text(browser: Browser, tmp_path: Path) -> None:
    with Archive.in_memory() as archive:
        quote = f"she wrote {HOSTILE} <!-- here"
        archive.add_source(f"s{HOSTILE}", f"Title {HOSTILE}", "2020", f"So: {quote}.")
        archive.record(HOSTILE, "member_of", object="<b>bold</b>", value="& <i>x</i>",
                       valid="2019/..", known_at="2020", sources=[(f"s{HOSTILE}", quote)])
        export_path(archive, "site", tmp_path / "site", Selection(None, HOSTILE))
    page = browser.new_page()
    try:
        page.goto((tmp_path / "site" / "index.html").as_uri())
        page.wait_for("window.hindsight !== undefined")
        assert page.errors == []
        assert page.eval("document.querySelectorAll('img, b, i').length") == 0
        assert page.eval("document.title") != "owned"
        text = page.eval("document.getElementById('fact-list').textContent")
        assert HOSTILE in text and quote in text and "& <i>x</i>" in text
        assert page.eval("document.querySelector('h1').textContent") == f"Hindsight: {HOSTILE}"
        page.eval("document.querySelector('#fact-list cite a').click()")
        page.wait_for("document.querySelector(':target') !== null")
        assert page.errors == []
        assert page.eval("document.querySelectorAll('img, b, i').length") == 0
        assert f"Title {HOSTILE}" in page.eval("document.querySelector(':target').textContent")
    finally:
        page.close()
