"""The read model: a projection of the event log into an SQLite database beside the archive.

``schema`` fixes its tables and the rows its queries return; ``projection`` keeps it from the
log (``ReadModel``); ``lookups`` answers by key; ``overview`` gives counts and pages for views of
large archives. Which claims hold on a day is ``timeline.asof``.
"""

from timeline.readmodel.projection import ReadModel
from timeline.readmodel.schema import (
    MMAP_SIZE,
    READMODEL_VERSION,
    ClaimRow,
    SlotStart,
    collect_past,
    collector_paused,
    readmodel_path,
)

__all__ = ["MMAP_SIZE", "READMODEL_VERSION", "ClaimRow", "ReadModel", "SlotStart", "collect_past",
           "collector_paused", "readmodel_path"]
