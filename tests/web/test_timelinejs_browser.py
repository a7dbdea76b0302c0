"""The TimelineJS export in the real TimelineJS 3.9 (from the npm registry, tests/web/
package.json), in headless Chromium at 1400×880: it renders without errors, its time
navigation within the page, its dates in words.

The page embeds the exported JSON as TimelineJS's documentation shows (``new
TL.Timeline(element, data, options)``) with ``font: null``: TimelineJS's default font comes
from Google Fonts, and these tests allow no request outside the machine.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.web.browser import Browser, Page
from timeline.app import Archive
from timeline.formats import Selection, timelinejs

WIDTH, HEIGHT = 1400, 880
#: TimelineJS sizes its time navigation with Math.ceil, one pixel past the page at most (its
#: time axis too, at the bottom of it).
ROUNDING = 1


def embed(folder: Path, dist: Path, doc: dict[str, Any]) -> Path:
    data = json.dumps(doc).replace("<", "\\u003c")
    page = folder / "timeline.html"
    page.write_text(f"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>TimelineJS</title>
<link rel="stylesheet" href="{(dist / 'css' / 'timeline.css').as_uri()}">
<script src="{(dist / 'js' / 'timeline.js').as_uri()}"></script>
<style>html, body {{ height: 100%; margin: 0; }} #timeline-embed {{ height: 100%; }}</style>
</head><body><div id="timeline-embed"></div>
<script type="application/json" id="data">{data}</script>
<script>window.timeline = new TL.Timeline('timeline-embed',
  JSON.parse(document.getElementById('data').textContent), {{font: null}});</script>
</body></html>""", encoding="utf-8")
    return page


def box(page: Page, selector: str) -> dict[str, float]:
    found: dict[str, float] = page.eval(
        f"JSON.parse(JSON.stringify(document.querySelector({json.dumps(selector)})"
        ".getBoundingClientRect()))")
    return found


@pytest.fixture
def render(browser: Browser, timelinejs_dist: Path, tmp_path: Path) -> Iterator[Any]:
    opened: list[Page] = []

    def show(doc: dict[str, Any]) -> Page:
        page = browser.new_page()
        opened.append(page)
        page.goto(embed(tmp_path, timelinejs_dist, doc).as_uri())
        page.wait_for("document.querySelectorAll('.tl-timemarker').length > 0 && "
                      "document.querySelector('.tl-timeaxis .tl-timeaxis-tick') !== null")
        return page

    yield show
    for page in opened:
        page.close()


def navigation_visible(page: Page) -> bool:
    nav, axis = box(page, ".tl-timenav"), box(page, ".tl-timeaxis")
    return (0 <= nav["top"] <= HEIGHT - 150 and nav["bottom"] <= HEIGHT + ROUNDING
            and 0 <= axis["top"] <= HEIGHT - 30 and axis["bottom"] <= HEIGHT + ROUNDING)


def test_the_seed_archive_renders_with_its_navigation_visible(render: Any,
                                                              seed: Archive) -> None:
    doc = timelinejs.document(seed, Selection())
    page = render(doc)
    assert page.errors == []
    assert all(url.startswith("file://") for url in page.requests), page.requests
    assert page.eval("document.querySelectorAll('.tl-timemarker').length") == len(doc["events"])
    assert page.eval("document.querySelectorAll('.tl-timegroup').length") == 0  # no groups
    assert navigation_visible(page), box(page, ".tl-timenav")
    # the zoom buttons too
    assert box(page, ".tl-menubar")["bottom"] <= HEIGHT
    # the dates shown are in words
    page.eval("window.timeline.goToId('seed-msft-invests-1b-2019')")
    page.wait_for("[...document.querySelectorAll('.tl-headline-date')]"
                  ".some(e => e.textContent === 'summer 2019')")


def test_a_few_subjects_are_rows_and_the_navigation_still_shows(render: Any,
                                                                 seed: Archive) -> None:
    doc = timelinejs.document(seed, Selection(None, "Optimus"))
    rows = {e["group"] for e in doc["events"]}
    assert 1 < len(rows) <= timelinejs.MAX_GROUPS
    page = render(doc)
    assert page.errors == []
    assert page.eval("document.querySelectorAll('.tl-timegroup').length") == len(rows)
    assert navigation_visible(page), box(page, ".tl-timenav")


def test_a_row_per_subject_of_the_whole_archive_would_push_it_off(render: Any,
                                                                   seed: Archive) -> None:
    """Why the default has no groups beyond eight subjects (and that the check above can
    fail): a row for each of the seed's 34 subjects puts the navigation below the page."""
    page = render(timelinejs.document(seed, Selection(), "subject"))
    assert not navigation_visible(page)
    assert box(page, ".tl-timenav")["bottom"] > HEIGHT + 100
