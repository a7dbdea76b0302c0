"""The web timeline (``export --to site DIR``, timeline/formats/site.py): a complete folder,
the states it embeds are the engine's, every text escaped, written atomically, and only where
a folder may be written. What a browser makes of it: tests/web/test_site_browser.py."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from timeline.app import Archive
from timeline.cli import main
from timeline.errors import InvalidInput
from timeline.formats import Selection, export_path, site
from timeline.interchange import import_file

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "seeds" / "archive.json"
FILES = ["index.html", "site.css", "site.js", "sources.html"]

HOSTILE_NAME = "</script><img src=x onerror=alert(1)>"
HOSTILE_QUOTE = "said </script><!-- and <img src=x onerror=alert(2)> & more"
HOSTILE_TITLE = "<b>Bold</b> & \"quoted\" </script>"


@pytest.fixture(scope="module")
def seed() -> Iterator[Archive]:
    with Archive.in_memory() as archive:
        import_file(archive, SEED)
        yield archive


@pytest.fixture
def hostile() -> Iterator[Archive]:
    with Archive.in_memory() as archive:
        text = f"The record: {HOSTILE_QUOTE}. The end."
        archive.add_source("weird id/</script>", HOSTILE_TITLE, "-0043-03-15", text)
        archive.record(HOSTILE_NAME, "member_of", object="<svg onload=alert(3)>",
                       value="<i>value</i>", valid="-0044-03-15/..", known_at="-0043",
                       sources=[("weird id/</script>", HOSTILE_QUOTE)])
        archive.record("Other", "founded", object=HOSTILE_NAME, valid="2019-22",
                       known_at="2020")
        yield archive


class Page(HTMLParser):
    """A page's elements, ids, links and the text of its script elements."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.ids: set[str] = set()
        self.links: list[str] = []
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self.text = ""
        self._script: dict[str, str | None] | None = None
        self.feed(text)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        found = dict(attrs)
        if found.get("id"):
            self.ids.add(str(found["id"]))
        for name in ("href", "src"):
            if found.get(name):
                self.links.append(str(found[name]))
        if tag == "script":
            self._script = found
            self.scripts.append((found, ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._script = None

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            attrs, text = self.scripts[-1]
            self.scripts[-1] = (attrs, text + data)
        else:
            self.text += data


def embedded(folder: Path) -> dict[str, Any]:
    page = Page((folder / "index.html").read_text(encoding="utf-8"))
    [(_, text)] = [(a, t) for a, t in page.scripts if a.get("id") == "hindsight-data"]
    data: dict[str, Any] = json.loads(text)
    return data


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".part"))


# --- the folder -------------------------------------------------------------------------------


def test_the_site_is_a_complete_folder_that_links_only_to_itself(seed: Archive,
                                                                 tmp_path: Path) -> None:
    target = tmp_path / "site"
    assert export_path(seed, "site", target) == "137 claims"
    assert sorted(p.name for p in target.iterdir()) == FILES
    assert leftovers(tmp_path) == []
    index = Page((target / "index.html").read_text(encoding="utf-8"))
    sources = Page((target / "sources.html").read_text(encoding="utf-8"))
    for page, text in ((index, "index.html"), (sources, "sources.html")):
        raw = (target / text).read_text(encoding="utf-8")
        assert "Content-Security-Policy" in raw and "default-src 'none'" in raw
        assert not re.search(r"(src|href)=\"(https?:)?//", raw)  # nothing from elsewhere
        for link in page.links:
            name, _, anchor = link.partition("#")
            assert (target / (name or text)).is_file(), link
            if anchor:
                assert anchor in (page.ids if not name or name == text else
                                  Page((target / name).read_text(encoding="utf-8")).ids), link
    data = embedded(target)
    # every source a fact quotes has its entry in sources.html
    assert {s["anchor"] for s in data["sources"]} <= sources.ids
    assert len(data["sources"]) == 3
    assert data["title"] == "Hindsight" and data["claims"] == 137


def test_each_moment_is_the_state_the_engine_gives(seed: Archive, tmp_path: Path) -> None:
    export_path(seed, "site", tmp_path / "site")
    data = embedded(tmp_path / "site")
    days = [m[0] for m in data["moments"]]
    assert days == sorted(set(days)) and len(days) > 20
    assert data["range"][0] <= days[0] and days[-1] <= data["range"][1]
    for day, shown in data["moments"][::7] + data["moments"][-1:]:
        state = seed.as_of(day)
        assert [(data["facts"][k]["id"], status) for k, status in shown] == [
            (f.claim.id, f.status) for f in state.facts]
    # the day between two moments shows the earlier one: nothing changes in between
    (a, shown_a), (b, _) = data["moments"][10], data["moments"][11]
    if b - a > 1:
        assert [f.claim.id for f in seed.as_of(b - 1).facts] == [
            data["facts"][k]["id"] for k, _ in shown_a]
    details = next(f for f in data["facts"] if f["id"] == "seed-msft-invests-1b-2019")
    assert details["valid"] == "summer 2019" and details["edtf"] == "2019-22"
    assert details["quotes"][0][1].startswith("A year after that encounter")


def test_as_of_opens_the_page_on_that_day_and_entity_narrows_it(seed: Archive,
                                                                tmp_path: Path) -> None:
    export_path(seed, "site", tmp_path / "site", Selection("2023-11", "Optimus"))
    data = embedded(tmp_path / "site")
    assert data["title"] == "Hindsight: Optimus"
    from timeline import dates

    assert data["open"] == dates.parse_day("2023-11-30")
    for day, shown in data["moments"][::5]:
        assert [data["facts"][k]["id"] for k, _ in shown] == [
            f.claim.id for f in seed.as_of(day, None, ["Optimus"]).facts]
    with pytest.raises(InvalidInput, match="2023-13") as refused:
        export_path(seed, "site", tmp_path / "other", Selection("2023-13"))
    assert refused.value.field == "as_of"
    assert not (tmp_path / "other").exists()


def test_at_most_max_moments_states_are_computed(seed: Archive, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(site, "MAX_MOMENTS", 5)
    export_path(seed, "site", tmp_path / "site")
    data = embedded(tmp_path / "site")
    assert data["computed"] == 5 and len(data["moments"]) <= 5 and data["days"] > 5
    about = Page((tmp_path / "site" / "index.html").read_text(encoding="utf-8")).text
    assert "it is shown on 5 of them" in about


# --- escaping ----------------------------------------------------------------------------------


def test_hostile_names_quotes_and_titles_stay_text(hostile: Archive, tmp_path: Path) -> None:
    target = tmp_path / "site"
    export_path(hostile, "site", target)
    raw = (target / "index.html").read_text(encoding="utf-8")
    # one <script> of data and one of code, each closed once; no element from the archive
    assert raw.count("<script") == 2 and raw.count("</script>") == 2
    index = Page(raw)
    assert "img" not in index.tags and "svg" not in index.tags and "b" not in index.tags
    data = embedded(target)
    texts = json.dumps(data, ensure_ascii=False)
    for text in (HOSTILE_NAME, HOSTILE_QUOTE, HOSTILE_TITLE):
        assert json.dumps(text, ensure_ascii=False)[1:-1] in texts  # decoded: the very text
    fact = next(f for f in data["facts"] if f["statement"].startswith(HOSTILE_NAME))
    assert fact["quotes"] == [[0, HOSTILE_QUOTE]]
    assert fact["valid"] == "from 15 March 45 BCE"
    source = data["sources"][0]
    assert source["id"] == "weird id/</script>"
    assert re.fullmatch(r"source-x[0-9a-f]{16}", source["anchor"])
    sources = Page((target / "sources.html").read_text(encoding="utf-8"))
    assert set(sources.tags) <= {"html", "head", "meta", "title", "link", "body", "header",
                                 "h1", "p", "nav", "a", "main", "section", "ol", "li", "code",
                                 "ul", "blockquote", "footer"}
    assert source["anchor"] in sources.ids
    for text in (HOSTILE_QUOTE, HOSTILE_TITLE, "weird id/</script>"):
        assert text in sources.text


def test_script_json_cannot_end_its_element() -> None:
    text = site.script_json({"q": "</script><!-- & -->"})
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text) == {"q": "</script><!-- & -->"}


# --- where it writes ----------------------------------------------------------------------------


def test_an_empty_folder_or_a_link_to_one_is_filled(seed: Archive, tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    export_path(seed, "site", empty)
    assert sorted(p.name for p in empty.iterdir()) == FILES
    (tmp_path / "real").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "real", target_is_directory=True)
    export_path(seed, "site", tmp_path / "link")
    assert (tmp_path / "link").is_symlink()
    assert sorted(p.name for p in (tmp_path / "real").iterdir()) == FILES
    assert leftovers(tmp_path) == []


def _refusals(folder: Path, archive_file: Path) -> list[tuple[Path, str]]:
    full = folder / "full"
    full.mkdir()
    (full / "notes.txt").write_text("mine")
    (folder / "file.txt").write_text("mine")
    os.mkfifo(folder / "pipe")
    return [
        (full, "the folder is not empty"),
        (folder / "file.txt", "is a file, not a folder"),
        (folder / "pipe", "is a pipe \\(FIFO\\), not a folder"),
        (archive_file, "refusing to write over the archive's own file"),
        (Path(f"{archive_file}-wal"), "refusing to write over the archive's own file"),
        (Path(f"{archive_file}.index"), "refusing to write over the archive's own file"),
        (folder / "file.txt" / "site", "file.txt is a file, not a folder"),
        (folder / "nowhere" / "site", "there is no folder"),
        (Path("/dev/site"), "cannot write in /dev"),
        (Path("/proc/self/site"), "cannot write in /proc"),
    ]


def test_refused_targets_are_left_as_they_were(tmp_path: Path) -> None:
    store = tmp_path / "archive.sqlite"
    with Archive.open(store) as archive:
        import_file(archive, SEED)
        scratch = tmp_path / "scratch"
        scratch.mkdir()
        for target, message in _refusals(scratch, store):
            before = sorted(p.name for p in scratch.rglob("*"))
            with pytest.raises(InvalidInput, match=message) as refused:
                export_path(archive, "site", target)
            assert str(refused.value).startswith(f"{target}: ")
            assert sorted(p.name for p in scratch.rglob("*")) == before
            assert (scratch / "full" / "notes.txt").read_text() == "mine"
        assert leftovers(scratch) == [] and leftovers(tmp_path) == []
        assert archive.as_of("2023-11").facts  # the archive still answers


def test_a_failed_write_leaves_no_folder(seed: Archive, tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    def full(folder: Path, data: dict[str, Any]) -> None:
        (folder / "index.html").write_text("half")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(site, "write_site", full)
    with pytest.raises(InvalidInput, match=r"site: cannot write \(No space left on device\)"):
        export_path(seed, "site", tmp_path / "site")
    assert list(tmp_path.iterdir()) == []


# --- the command line ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("cli") / "seed.sqlite"
    with Archive.open(path) as archive:
        import_file(archive, SEED)
    return path


def run(store: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(["--archive", str(store), "export", *args], plugins=[])
    return code, capsys.readouterr().err


def test_the_command_writes_a_site(store: Path, tmp_path: Path,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "web"
    assert run(store, capsys, "--to", "site", str(target), "--entity", "Optimus") == (
        0, f"exported 18 claims to {target}\n")
    assert sorted(p.name for p in target.iterdir()) == FILES


@pytest.mark.parametrize(("args", "message"), [
    (["--to", "site", "-"], "hindsight: error: --to site writes a folder, not a stream: give "
                            "a folder name, not -\n"),
    (["--to", "site", "{tmp}/x", "--group-by", "subject"],
     "hindsight: error: --group-by: goes with --to timelinejs, not site\n"),
    (["--to", "csv", "{tmp}/x", "--view", "graph"],
     "hindsight: error: --view: goes with --to svg, png or pdf, not csv\n"),
    (["--to", "timelinejs", "{tmp}/x", "--known-as-of", "2025"],
     "hindsight: error: --known-as-of: goes with --to svg, png or pdf, not timelinejs\n"),
    (["--to", "site", "{tmp}/x", "--as-of", "2023-02-30"],
     "hindsight: error: --as-of: '2023-02-30' is not a valid EDTF date: day 30 is out of "
     "range for 2023-02\n"),
])
def test_the_command_refuses_in_one_line_and_writes_nothing(
        store: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str],
        message: str) -> None:
    code, err = run(store, capsys, *[a.replace("{tmp}", str(tmp_path)) for a in args])
    assert (code, err) == (2, message)
    assert list(tmp_path.iterdir()) == []


def test_pictures_need_the_desktop_renderer(store: Path, tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str],
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib.metadata

    monkeypatch.setattr(importlib.metadata, "entry_points", lambda **kw: [])
    code, err = run(store, capsys, "--to", "png", str(tmp_path / "x.png"))
    assert code == 2
    assert err == ("hindsight: error: --to: svg, png and pdf pictures need the desktop app's "
                   "renderer, which is not installed here (install Hindsight with its desktop "
                   "app)\n")
    assert list(tmp_path.iterdir()) == []


def test_pictures_are_drawn_by_the_renderer_found_by_entry_point(
        store: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib.metadata

    seen: list[Any] = []

    def render(archive: Archive, args: Any) -> int:
        seen.append((args.to, args.view, args.size, args.as_of, args.known_as_of,
                     args.entity))
        Path(args.file).write_bytes(b"<svg/>")
        return 7

    class Point:
        def load(self) -> Any:
            return render

    def points(**kw: str) -> list[Point]:
        assert kw == {"group": "hindsight.renderers", "name": "view"}
        return [Point()]

    monkeypatch.setattr(importlib.metadata, "entry_points", points)
    out = tmp_path / "graph.svg"
    assert run(store, capsys, "--to", "svg", str(out), "--size", "800x600", "--as-of",
               "2023-11", "--known-as-of", "2025-03") == (0, f"exported 7 relationships to "
                                                              f"{out}\n")
    assert run(store, capsys, "--to", "pdf", str(tmp_path / "t.pdf"), "--view",
               "timeline") == (0, f"exported 7 facts to {tmp_path / 't.pdf'}\n")
    assert seen == [("svg", "graph", (800, 600), "2023-11", "2025-03", None),
                    ("pdf", "timeline", None, None, None, None)]
    assert out.read_bytes() == b"<svg/>"
    # the archive's own file is refused before the renderer is called
    assert run(store, capsys, "--to", "png", str(store))[0] == 2
    assert len(seen) == 2


@pytest.mark.parametrize(("size", "why"), [
    ("1400", "'1400' is not a size in pixels WIDTHxHEIGHT"),
    ("axb", "'axb' is not a size in pixels WIDTHxHEIGHT"),
    ("1400x880x2", "'1400x880x2' is not a size in pixels WIDTHxHEIGHT"),
    ("0x10", "0x10 is not a picture size: from 320x200 to 8000x8000 pixels"),
    ("99999x880", "99999x880 is not a picture size: from 320x200 to 8000x8000 pixels"),
    ("319x880", "319x880 is not a picture size: from 320x200 to 8000x8000 pixels")])
def test_a_bad_size_is_refused_by_the_parser(store: Path, tmp_path: Path, size: str, why: str,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        main(["--archive", str(store), "export", "--to", "png", str(tmp_path / "x.png"),
              "--size", size], plugins=[])
    assert done.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith(f"hindsight: error: argument --size: {why}") and err.count("\n") == 1
    assert list(tmp_path.iterdir()) == []
