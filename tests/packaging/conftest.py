"""The packaging tests build the Debian package, which takes a minute or two.

Locally they may be skipped with ``HINDSIGHT_SKIP_PACKAGING=1``; in CI (``CI`` set) they
always run, and a failed build fails them.
"""

from __future__ import annotations

import os

import pytest


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "packaging: builds and installs the .deb (HINDSIGHT_SKIP_PACKAGING=1 skips "
                   "it outside CI)")


def packaging_skipped() -> bool:
    return os.environ.get("HINDSIGHT_SKIP_PACKAGING") == "1" and not os.environ.get("CI")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if not packaging_skipped():
        return
    skip = pytest.mark.skip(reason="HINDSIGHT_SKIP_PACKAGING=1 (never skipped in CI)")
    for item in items:
        if item.get_closest_marker("packaging") is not None:
            item.add_marker(skip)
