"""What every interchange format shares: which claims an export holds, and how a file is
written without ever leaving half of it behind. (Dates, their parts and an interval's sides come
from :mod:`timeline.dates`.)"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from timeline.api import InvalidInput


def write_atomically(path: Path, write: Callable[[Path], object]) -> None:
    """Have ``write`` fill a temporary file beside ``path``, then rename it into place: a
    failed or interrupted export leaves any earlier file as it was and no partial one."""
    tmp = path.with_name(path.name + ".part")
    try:
        tmp.write_bytes(b"")  # fails early, and plainly, in a folder that is not there
        write(tmp)
        tmp.replace(path)
    except OSError as exc:
        raise InvalidInput(f"{path}: cannot write ({exc.strerror or exc})") from None
    finally:
        tmp.unlink(missing_ok=True)


def write_json(path: Path, data: Any) -> None:
    """JSON as Hindsight writes it: UTF-8, indented, non-ASCII text as it is."""
    write_atomically(path, lambda tmp: tmp.write_text(
        json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"))
