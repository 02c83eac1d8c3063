"""dcplan._solved_cache: a tower's Merkel approach table and free-cooling limit are solved once per design and
code version and read back bit for bit by the next process; an unreadable entry is solved again, an unwritable folder keeps nothing,
and an edit of the solver's source is a new key."""
from __future__ import annotations

import os
import subprocess
import sys

import numpy as np
import pytest

from dcplan import _solved_cache as sc
from dcplan import thermal_tower_merkel as tm

DESIGN = (23.5, 4.2, 6.1, 1.4)  # a design no bundled site has: solved by these tests only


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("DCPLAN_CACHE_DIR", str(tmp_path))
    tm._approach_table.cache_clear()
    yield tmp_path / "solved-tables"
    tm._approach_table.cache_clear()


def _no_solving(monkeypatch):
    def refuse(design):
        raise AssertionError(f"solved {design} again")
    monkeypatch.setattr(tm, "_solve_approach_table", refuse)


def test_a_solved_table_is_kept_and_read_back_bit_for_bit(cache, monkeypatch):
    solved = tm._solve_approach_table(DESIGN)
    first = tm._approach_table(DESIGN)
    (entry,) = cache.glob("merkel-approach-*.npz")
    tm._approach_table.cache_clear()
    _no_solving(monkeypatch)  # the next call must read the entry
    again = tm._approach_table(DESIGN)
    for a, b, c in zip(solved, first, again):
        np.testing.assert_array_equal(a, b)
        np.testing.assert_array_equal(a, c)
        assert a.dtype == c.dtype and not c.flags.writeable
    assert list(cache.glob("*.tmp")) == list(cache.glob(".*.tmp")) == []


def test_another_process_reads_the_kept_table_instead_of_solving_it(cache):
    tm._approach_table(DESIGN)
    probe = ("import sys; from dcplan import thermal_tower_merkel as tm\n"
             "def refuse(d): raise SystemExit('solved again')\n"
             "tm._solve_approach_table = refuse\n"
             f"g, t = tm._approach_table({DESIGN!r}); print(repr(float(t.sum())))")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         env={**os.environ, "DCPLAN_CACHE_DIR": str(cache.parent)})
    assert out.returncode == 0, out.stderr
    assert float(out.stdout) == float(tm._solve_approach_table(DESIGN)[1].sum())


@pytest.mark.parametrize("damage", [b"", b"not an npz", "truncate"])
def test_an_unreadable_entry_is_solved_again_and_rewritten(cache, damage):
    tm._approach_table(DESIGN)
    (entry,) = cache.glob("*.npz")
    data = entry.read_bytes()
    entry.write_bytes(data[: len(data) // 2] if damage == "truncate" else damage)
    tm._approach_table.cache_clear()
    grid, table = tm._approach_table(DESIGN)
    np.testing.assert_array_equal(table, tm._solve_approach_table(DESIGN)[1])
    assert entry.read_bytes() == data  # rewritten whole


def test_an_entry_of_another_key_is_not_read(cache, monkeypatch):
    # a file named as this key's but holding another design's table (renamed by hand, say): solved again
    other = (25.0, 4.0, 5.6, 1.6)
    tm._approach_table(other)
    (entry,) = cache.glob("*.npz")
    _, path = sc._entry("merkel-approach", DESIGN)
    entry.rename(path)
    tm._approach_table.cache_clear()
    np.testing.assert_array_equal(tm._approach_table(DESIGN)[1], tm._solve_approach_table(DESIGN)[1])


def test_a_free_cooling_limit_is_kept_and_read_back_bit_for_bit(cache, monkeypatch):
    from dcplan import thermal_plant_params as pp
    from dcplan.thermal_tower_merkel import merkel_free_cooling_limit_degc
    design = (("design_wet_bulb_degc", 23.5), ("design_approach_k", 4.2), ("range_k", 6.1), ("lg_ratio", 1.4))
    solved = merkel_free_cooling_limit_degc(18.0, 1.5, **dict(design))
    pp._merkel_limit.cache_clear()
    assert pp._merkel_limit(18.0, 1.5, design) == solved
    assert len(list(cache.glob("merkel-free-cooling-limit-*.npz"))) == 1
    pp._merkel_limit.cache_clear()
    monkeypatch.setattr(tm, "merkel_free_cooling_limit_degc", lambda *a, **k: pytest.fail("solved again"))
    again = pp._merkel_limit(18.0, 1.5, design)
    pp._merkel_limit.cache_clear()
    assert again == solved and isinstance(again, float)


def test_an_edit_of_the_solver_is_a_new_key(cache, monkeypatch):
    tm._approach_table(DESIGN)
    sc.code_digest.cache_clear()
    monkeypatch.setattr(sc, "SOURCES", sc.SOURCES + ("thermal_plant.py",))  # as if another source were edited
    try:
        tm._approach_table.cache_clear()
        tm._approach_table(DESIGN)
        assert len(list(cache.glob("*.npz"))) == 2
    finally:
        sc.code_digest.cache_clear()


def test_the_digest_covers_each_solver_source():
    here = os.path.dirname(sc.__file__)
    assert all(os.path.isfile(os.path.join(here, name)) for name in sc.SOURCES)
    assert {"thermal_tower_merkel.py", "thermal_water.py", "weather_psychro.py",
            "thermal_plant_params.py"} <= set(sc.SOURCES)


def test_an_empty_cache_setting_or_an_unwritable_folder_keeps_nothing(tmp_path, monkeypatch):
    monkeypatch.setenv("DCPLAN_CACHE_DIR", "")
    assert sc.folder() is None
    tm._approach_table.cache_clear()
    np.testing.assert_array_equal(tm._approach_table(DESIGN)[1], tm._solve_approach_table(DESIGN)[1])
    blocked = tmp_path / "a file"
    blocked.write_text("")
    monkeypatch.setenv("DCPLAN_CACHE_DIR", str(blocked))  # solved-tables cannot be made under a file
    tm._approach_table.cache_clear()
    np.testing.assert_array_equal(tm._approach_table(DESIGN)[1], tm._solve_approach_table(DESIGN)[1])
    tm._approach_table.cache_clear()


def test_the_oldest_entries_go_beyond_the_limit(cache, monkeypatch):
    monkeypatch.setattr(sc, "MAX_ENTRIES", 2)
    designs = [(wb, 4.0, 5.6, 1.6) for wb in (20.0, 21.0, 22.0)]
    for i, d in enumerate(designs):
        tm._approach_table(d)
        if i < 2:  # written (or last read) long ago, the first the longest
            os.utime(sc._entry("merkel-approach", d)[1], (1000.0 + i, 1000.0 + i))
    assert sorted(cache.glob("*.npz")) == sorted(sc._entry("merkel-approach", d)[1] for d in designs[1:])


def test_the_cache_folder_is_the_weather_checks_one():
    from dcplan import weather_check
    from dcplan.paths import cache_root
    assert weather_check.CACHE_DIR_ENV == "DCPLAN_CACHE_DIR"
    assert weather_check._cache_dir() == cache_root() / "weather-checks"
    assert sc.folder() == cache_root() / "solved-tables"


def test_a_read_only_folder_is_read_all_the_same(cache, monkeypatch):
    solved = tm._solve_approach_table(DESIGN)
    tm._approach_table(DESIGN)
    tm._approach_table.cache_clear()
    _no_solving(monkeypatch)

    def read_only(*args, **kwargs):
        raise PermissionError(13, "Read-only file system")
    monkeypatch.setattr(sc.os, "utime", read_only)  # marking the entry used fails, as on a read-only mount
    np.testing.assert_array_equal(tm._approach_table(DESIGN)[1], solved[1])


def test_a_design_day_humidity_is_kept_and_read_back_bit_for_bit(cache, monkeypatch):
    """The design day's humidity (50 wet bulbs, about 75 ms; two in each run of cooling_lag, interconnection and
    site_analysis) is solved once and read back by the next call; it is PsychroLib's relative humidity for the
    wet bulb (GetRelHumFromTWetBulb, an independent solver: within 0.01 %RH, its wet bulb's 0.001 K tolerance)."""
    import psychrolib

    from dcplan import weather_psychro as wp
    t, wb, p = 41.3, 19.7, 96_800.0  # a condition no bundled site has
    solved = wp._solve_relative_humidity_pct(t, wb, p)
    first = wp.relative_humidity_at_wet_bulb_pct(t, wb, p)
    (entry,) = cache.glob("design-rh-*.npz")

    def refuse(*args):
        raise AssertionError(f"solved {args} again")
    monkeypatch.setattr(wp, "_solve_relative_humidity_pct", refuse)
    again = wp.relative_humidity_at_wet_bulb_pct(t, wb, p)
    assert first == solved and again == solved  # bit for bit
    assert entry.exists()
    psychrolib.SetUnitSystem(psychrolib.SI)
    assert again == pytest.approx(100.0 * psychrolib.GetRelHumFromTWetBulb(t, wb, p), abs=0.01)
    # a design day built on it holds that humidity at its hottest hour (dcplan.thermal_design_day)
    from dcplan.thermal_design_day import design_day
    day = design_day(t, wb, 10.0, pressure_pa=p)
    assert day["relative_humidity"].iloc[13] == pytest.approx(solved, rel=1e-12)
    assert day["temp_wet_bulb_degc"].iloc[13] == pytest.approx(wb, abs=1e-6)
