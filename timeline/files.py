"""Reading a text file that an input names: a source's ``file`` in an import, ``--file``.

What such a file holds is appended to the archive's log, which is never edited: a name that
reached outside the import's folder (``/proc/self/environ``, ``../../.ssh/id_rsa``, a symlink
pointing out) would copy that file into the archive for ever, and a FIFO or a device
(``/dev/zero``) would hang the import or fill the memory. So every file an input names is read
here, by one rule:

- **confined** (:func:`read_named_file`): the name, relative and with every symlink resolved,
  must lead inside the folder of the file that names it (the import file's folder);
- **a regular file**: not a folder, FIFO, socket or device. It is checked before it is opened
  (``lstat``), opened without blocking (``O_NONBLOCK``) and checked again on the open
  descriptor (``fstat``), so nothing swapped in between is read;
- **at most** :data:`MAX_FILE_BYTES`, and UTF-8 text (or, read as bytes, a PDF, an HTML or
  a Markdown file whose text ``timeline.sourcefiles`` extracts).

Every refusal is an ``InvalidInput`` naming the file and the field (``sources[2].file: …``).
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import BinaryIO

from timeline.errors import InvalidInput

#: The largest file an input may name (a source's full text): 64 MiB.
MAX_FILE_BYTES = 64 * 1024 * 1024

_READ = os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_CLOEXEC", 0)
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_DIRECTORY = getattr(os, "O_DIRECTORY", 0)
#: Open a path one folder at a time, refusing symlinks, relative to an open folder.
_WALK = bool(_NOFOLLOW and _DIRECTORY) and os.open in os.supports_dir_fd


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISLNK(mode):
        return "a symlink that cannot be resolved"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "something other than a regular file"


def _mib(size: int) -> str:
    return f"{size / (1024 * 1024):,.1f} MiB"


def _check(name: str, info: os.stat_result, field: str) -> None:
    if not stat.S_ISREG(info.st_mode):
        raise InvalidInput(f"'{name}' is {_kind(info.st_mode)}; only a regular "
                           "text file can be read", field)
    if info.st_size > MAX_FILE_BYTES:
        raise InvalidInput(f"'{name}' is {_mib(info.st_size)}, more than the "
                           f"{_mib(MAX_FILE_BYTES)} the text of a source may be", field)


def _cannot(name: str, exc: OSError, field: str) -> InvalidInput:
    return InvalidInput(f"cannot read '{name}' ({exc.strerror or exc})", field)


def _read_bytes(fd: int, name: str, field: str) -> bytes:
    """Read an opened file: checked again on the descriptor, then at most the limit."""
    with os.fdopen(fd, "rb", closefd=True) as handle:
        _check(name, os.fstat(handle.fileno()), field)
        data = handle.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:  # it grew since it was checked
        raise InvalidInput(f"'{name}' is more than the {_mib(MAX_FILE_BYTES)} the text of a "
                           "source may be", field)
    return data


def decode_utf8(data: bytes, name: str, field: str) -> str:
    """A file's bytes as text: UTF-8, or an ``InvalidInput`` naming the first bad byte."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InvalidInput(f"'{name}' is not UTF-8 text (byte 0x{data[exc.start]:02x} at "
                           f"offset {exc.start})", field) from None


def open_input(path: Path) -> BinaryIO:
    """The file an import reads (``hindsight import FILE``), opened for reading: a regular
    file, checked before and after it is opened without blocking, so that a FIFO or a device
    (``/dev/zero``) is refused instead of hanging the import or filling the memory. Of any
    size: a large file is read as a stream. Errors name the file: ``{path}: …``."""
    name = str(path)
    try:
        info = os.stat(name)
        if stat.S_ISREG(info.st_mode):
            fd = os.open(name, _READ | _NONBLOCK)
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode):
                os.close(fd)
    except (OSError, ValueError) as exc:  # ValueError: a NUL in the name
        why = exc.strerror if isinstance(exc, OSError) else "a file name cannot hold a null byte"
        raise InvalidInput(f"{path}: cannot read ({why or exc})") from None
    if not stat.S_ISREG(info.st_mode):
        raise InvalidInput(f"{path}: cannot read {_kind(info.st_mode)}; an import reads a "
                           "regular file")
    return os.fdopen(fd, "rb", closefd=True)


def read_text_file(path: Path | str, field: str = "file") -> str:
    """A UTF-8 text file named on the command line (``--file``): anywhere the user can read,
    but a regular file of at most :data:`MAX_FILE_BYTES`, read without blocking."""
    return decode_utf8(read_file_bytes(path, field), str(path), field)


def read_file_bytes(path: Path | str, field: str = "file") -> bytes:
    """The bytes of a file named on the command line or chosen in the app, by the rule of
    :func:`read_text_file` (a regular file of at most :data:`MAX_FILE_BYTES`, read without
    blocking), for a file that is not plain text (a PDF: ``timeline.sourcefiles``)."""
    name = str(path)
    if "\x00" in name:
        raise InvalidInput("a file name cannot hold a null byte", field)
    try:
        _check(name, os.stat(name), field)  # follows a symlink: the user named it
        fd = os.open(name, _READ | _NONBLOCK)
    except OSError as exc:
        raise _cannot(name, exc, field) from None
    return _read_bytes(fd, name, field)


def confined_path(base: Path, name: str, field: str = "file") -> Path:
    """Where ``name`` leads from the folder ``base``, every symlink resolved; refused unless
    it is inside ``base`` (the same rule as :func:`read_named_file`, without reading)."""
    if "\x00" in name:
        raise InvalidInput("a file name cannot hold a null byte", field)
    if not name.strip():
        raise InvalidInput("a file name cannot be empty", field)
    if Path(name).is_absolute() or Path(name).drive or Path(name).root:
        raise InvalidInput(f"'{name}' is an absolute path; name a file in the folder of the "
                           "import file, relative to it", field)
    folder = Path(os.path.realpath(base))
    target = Path(os.path.realpath(folder / name))
    if not target.is_relative_to(folder):
        raise InvalidInput(f"'{name}' leads outside the folder of the import file "
                           f"({folder}); the file of a source must be inside that folder",
                           field)
    return target


def read_named_file(base: Path | None, name: str, field: str = "file") -> str:
    """The text of the file an input names (a source's ``file``), relative to ``base``, the
    folder of the file naming it (the current folder when there is none).

    Refused, with an ``InvalidInput`` at ``field``: a name that leads outside ``base`` (an
    absolute path, ``..``, a symlink pointing out), anything but a regular file, a file over
    :data:`MAX_FILE_BYTES` and one that is not UTF-8."""
    return decode_utf8(read_named_bytes(base, name, field), name, field)


def read_named_bytes(base: Path | None, name: str, field: str = "file") -> bytes:
    """The bytes of the file an input names, by the rule of :func:`read_named_file`
    (confined to ``base``, a regular file, bounded), for a file that is not plain text."""
    folder = Path(os.path.realpath(base if base is not None else Path.cwd()))
    target = confined_path(folder, name, field)
    try:
        _check(name, os.lstat(target), field)  # before opening: a FIFO or device is not
        fd = _open_inside(folder, target.relative_to(folder).parts)
    except OSError as exc:
        raise _cannot(name, exc, field) from None
    return _read_bytes(fd, name, field)


def _open_inside(folder: Path, parts: tuple[str, ...]) -> int:
    """Open ``folder/parts…`` without following any symlink on the way (each step relative
    to the folder opened before it), so a folder or file swapped for a symlink after the
    path was resolved makes the open fail instead of leading elsewhere. Never blocks."""
    if not _WALK:  # pragma: no cover - Windows: open the resolved path
        return os.open(folder.joinpath(*parts), _READ | _NONBLOCK)
    fd = os.open(folder, _READ | _DIRECTORY)
    try:
        for part in parts[:-1]:
            step = os.open(part, _READ | _DIRECTORY | _NOFOLLOW, dir_fd=fd)
            os.close(fd)
            fd = step
        return os.open(parts[-1], _READ | _NONBLOCK | _NOFOLLOW, dir_fd=fd)
    finally:
        os.close(fd)
