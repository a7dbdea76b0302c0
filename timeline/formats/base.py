"""What every interchange format shares: which claims an export holds, and how a file is
written without ever leaving half of it behind, nor writing over what matters (the archive's
own files, devices, pipes, folders). (Dates, their parts and an interval's sides come from
:mod:`timeline.dates`.)"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import sqlite3
import stat
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from timeline.api import InvalidInput

if TYPE_CHECKING:
    from timeline.api import Archive

#: The files SQLite keeps beside a database while it is open.
_SIDE_FILES = ("", "-wal", "-shm", "-journal")
#: Where devices, and links to the standard streams, live: no export is written there.
_SYSTEM_FOLDERS = tuple(f for f in ("/dev", "/proc", "/sys") if os.path.isdir(f))

_KINDS = ((stat.S_ISDIR, "a folder"), (stat.S_ISCHR, "a device"), (stat.S_ISBLK, "a device"),
          (stat.S_ISFIFO, "a pipe (FIFO)"), (stat.S_ISSOCK, "a socket"))


def archive_files(archive: Archive | None) -> tuple[Path, ...]:
    """The files an archive lives in: its SQLite file (none for a PostgreSQL or in-memory
    archive) and its read model (for PostgreSQL, the copy cached on this machine)."""
    if archive is None:
        return ()
    archive = getattr(archive, "recorded_of", None) or archive  # a cut: its archive's files
    found = (archive.store.path, archive.readmodel.path)
    return tuple(Path(p) for p in found if p is not None)


def _not_regular(mode: int) -> str | None:
    """What a file that is not a regular file is, in words; None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    return next((name for test, name in _KINDS if test(mode)), "something not a regular file")


def _file_above(path: Path) -> Path | None:
    """The nearest of ``path``'s folders that exists, when it is not a folder."""
    for above in path.parents:
        if os.path.lexists(above):
            return None if above.is_dir() else above
    return None


def _hops(path: Path) -> Iterator[str]:
    """The path, each path a chain of symbolic links from it goes through, and where it
    ends."""
    current = os.path.abspath(path)
    for _ in range(40):
        yield current
        try:
            target = os.readlink(current)
        except OSError:  # not a link, or not there
            break
        current = os.path.normpath(os.path.join(os.path.dirname(current), target))
    yield os.path.realpath(path)


def _in_system_folder(path: Path) -> str | None:
    """The system folder (/dev, /proc, /sys) ``path`` is in, or leads into through symbolic
    links: its own, one after the other, or its folders'."""
    for hop in _hops(path):
        for place in (hop, os.path.realpath(os.path.dirname(hop))):
            for folder in _SYSTEM_FOLDERS:
                if os.path.commonpath([folder, place]) == folder:
                    return folder
    return None


def check_target(path: Path, protected: Iterable[Path] = ()) -> None:
    """The one rule of where an export may write; ``InvalidInput`` naming the path if not
    there. Never over one of the ``protected`` files (an archive and its read model, and the
    -wal, -shm and -journal files SQLite keeps beside them), whether named as they are, through
    a symbolic link or by another hard link to them; never over anything that exists and is
    not a regular file (a device such as /dev/null, a pipe, a folder, a socket); and only
    into a folder that exists."""
    try:
        found: os.stat_result | None = os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        found = None
    except OSError as exc:
        raise InvalidInput(f"{path}: cannot write ({exc.strerror or exc})") from None
    if found is not None and (kind := _not_regular(found.st_mode)):
        raise InvalidInput(f"{path}: cannot write over {kind}; an export writes a regular "
                           "file (give a file name, or - for standard output)")
    where = os.path.realpath(path)
    system = _in_system_folder(path)
    if system is not None:  # /dev/stdout: a link, to whatever the output is at the time
        raise InvalidInput(f"{path}: cannot write in {system}, where devices and standard "
                           "streams are (give a file name, or - for standard output)")
    for own in protected:
        for suffix in _SIDE_FILES:
            side = Path(f"{own}{suffix}")
            same = os.path.realpath(side) == where
            if not same and found is not None:
                try:
                    other = os.stat(side)
                except OSError:
                    continue
                same = (other.st_dev, other.st_ino) == (found.st_dev, found.st_ino)
            if same:
                raise InvalidInput(f"{path}: refusing to write over the archive's own file "
                                   f"{side}; export to another file")
    if found is None and not path.parent.is_dir():
        above = _file_above(path)
        raise InvalidInput(f"{path}: cannot write: " + (
            f"{above} is a file, not a folder" if above is not None
            else f"there is no folder {path.parent}"))


def write_atomically(path: Path, write: Callable[[Path], object],
                     archive: Archive | None = None) -> None:
    """Have ``write`` fill a new temporary file beside ``path``, then rename it into place: a
    failed or interrupted export (a full disk too) leaves any earlier file as it was and no
    partial one. Every export is written here, where :func:`check_target` is applied with
    the files of the ``archive`` it comes from."""
    check_target(path, archive_files(archive))
    # Through a symbolic link, the file it names is written (the link stays).
    real = Path(os.path.realpath(path))
    tmp = real.with_name(f"{real.name}.{secrets.token_hex(4)}.part")
    made = False
    try:
        # A new file of our own, never one already there (a pipe, a link), with the usual
        # permissions; it also fails early, and plainly, in a folder that cannot be written.
        os.close(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
        made = True
        write(tmp)
        check_target(path, archive_files(archive))  # nothing was put there meanwhile
        tmp.replace(real)
    except OSError as exc:
        raise InvalidInput(f"{path}: cannot write ({exc.strerror or exc})") from None
    except sqlite3.Error as exc:  # a full disk or a failing device, as SQLite says it
        raise InvalidInput(f"{path}: cannot write ({exc})") from None
    finally:
        if made:
            for leftover in _SIDE_FILES:
                Path(f"{tmp}{leftover}").unlink(missing_ok=True)


def write_json(path: Path, data: Any, archive: Archive | None = None) -> None:
    """JSON as Hindsight writes it: UTF-8, indented, non-ASCII text as it is."""
    write_atomically(path, lambda tmp: tmp.write_text(
        json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"), archive)


def check_folder_target(path: Path, protected: Iterable[Path] = ()) -> None:
    """Where an export that writes a folder (``site``) may write: a new folder, or an empty
    one, in a folder that exists; never the archive's own files (``protected``), anything
    else that exists (a file, a folder with files in it, a device), nor anything in /dev,
    /proc or /sys. ``InvalidInput`` naming the path if not there."""
    try:
        found: os.stat_result | None = os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        found = None
    except OSError as exc:
        raise InvalidInput(f"{path}: cannot write ({exc.strerror or exc})") from None
    system = _in_system_folder(path)
    if system is not None:
        raise InvalidInput(f"{path}: cannot write in {system}, where devices and standard "
                           "streams are; give a new folder")
    if found is None or stat.S_ISREG(found.st_mode):
        # The archive's own files (those SQLite may yet make too), a missing folder above.
        check_target(path, protected)
        if found is None:
            return
    elif stat.S_ISDIR(found.st_mode):
        with os.scandir(path) as entries:
            if any(entries):
                raise InvalidInput(f"{path}: the folder is not empty; give a new or an "
                                   "empty folder (nothing in it is replaced)")
        return
    kind = _not_regular(found.st_mode) or "a file"
    raise InvalidInput(f"{path}: is {kind}, not a folder; give a new or an empty folder")


def write_folder_atomically(path: Path, write: Callable[[Path], object],
                            archive: Archive | None = None) -> None:
    """Have ``write`` fill a new temporary folder beside ``path``, then rename it into place
    (over an empty folder, which a rename replaces whole): a failed or interrupted export
    leaves no partial folder. The target is checked by :func:`check_folder_target`."""
    check_folder_target(path, archive_files(archive))
    real = Path(os.path.realpath(path))
    tmp = real.with_name(f".{real.name}.{secrets.token_hex(4)}.part")
    made = False
    try:
        os.mkdir(tmp)
        made = True
        write(tmp)
        check_folder_target(path, archive_files(archive))  # nothing was put there meanwhile
        try:
            tmp.replace(real)  # POSIX: a folder replaces an empty folder in one step
        except OSError:
            if not real.is_dir():
                raise
            real.rmdir()  # where a rename does not replace a folder (Windows)
            tmp.replace(real)
        made = False
    except OSError as exc:
        raise InvalidInput(f"{path}: cannot write ({exc.strerror or exc})") from None
    finally:
        if made:
            shutil.rmtree(tmp, ignore_errors=True)
