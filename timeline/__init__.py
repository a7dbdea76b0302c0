"""Hindsight's engine: an event-sourced, bitemporal archive of sourced claims.

Pure Python: this package never imports Qt or ``gui`` (a test enforces it).
"""

__version__ = "0.1.0"
