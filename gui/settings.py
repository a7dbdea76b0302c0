"""What the app remembers between runs (QSettings): recent archives, window geometry."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings

ORGANISATION = "Hindsight"
APPLICATION = "Hindsight"
RECENT_KEY = "recent/archives"
MAX_RECENT = 8


def default_settings() -> QSettings:
    return QSettings(ORGANISATION, APPLICATION)


def recent_archives(settings: QSettings) -> list[str]:
    value = settings.value(RECENT_KEY, [])
    if isinstance(value, str):  # QSettings gives a lone string for a one-item list
        value = [value]
    return [str(v) for v in (value or []) if v]


def remember_archive(settings: QSettings, path: Path | str) -> list[str]:
    """Put ``path`` (a file, or a team archive's URL) first in the recent list (once) and
    return the list."""
    text = path if isinstance(path, str) else str(Path(path).resolve())
    recent = [text] + [p for p in recent_archives(settings) if p != text]
    recent = recent[:MAX_RECENT]
    settings.setValue(RECENT_KEY, recent)
    settings.sync()
    return recent


def forget_archive(settings: QSettings, path: str) -> list[str]:
    recent = [p for p in recent_archives(settings) if p != path]
    settings.setValue(RECENT_KEY, recent)
    settings.sync()
    return recent
