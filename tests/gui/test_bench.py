"""The slider benchmark runs on the real window (the figure is printed, not asserted: timing
goals are checked by the benchmark itself, on the seed archive; see docs/gui.md)."""

from __future__ import annotations

from gui.bench import measure_slider


def test_measure_slider_reports_percentiles(window, capsys):
    found = measure_slider(window, moves=120, paint=True)
    assert found["moves"] == 120
    assert 0 < found["p50_ms"] <= found["p99_ms"] <= found["max_ms"]
    assert found["total_p99_ms"] >= found["p99_ms"]
    with capsys.disabled():
        print(f"\nslider → views on the test archive: p50 {found['p50_ms']:.2f} ms, "
              f"p99 {found['p99_ms']:.2f} ms (with repaint p99 {found['total_p99_ms']:.2f} ms)")
