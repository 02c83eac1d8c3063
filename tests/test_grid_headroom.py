"""Tests of dcplan.grid_headroom: the Duke "Rethinking Load Growth" curtailment-enabled headroom."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from dcplan import grid
from dcplan.errors import InputError
from dcplan.grid_headroom import EXAMPLE_PARAMS
from dcplan.paths import data_path


def _series(values) -> pd.Series:
    idx = pd.date_range("2025-01-01 01:00", periods=len(values), freq="h", tz="Etc/GMT+5")
    return pd.Series(np.asarray(values, dtype=float), index=idx)


def _brute_force(x: np.ndarray, f: float, peak: float | None = None) -> float:
    """Independent path: bisection on curtailed share C(L)/(n L) (non-decreasing in L)."""
    p = x.max() if peak is None else peak
    m = p - np.minimum(x, p)
    share = lambda L: np.maximum(L - m, 0).sum() / (len(x) * L)  # noqa: E731
    lo, hi = 0.0, 10 * p
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        lo, hi = (mid, hi) if share(mid) <= f else (lo, mid)
    return lo


def test_hand_case_ten_peak_hours():
    # 1000 h: 990 h at 50 MW, 10 h at 100 MW (peak). Worked by hand:
    # f = 0.5 %: the 10 zero-margin hours alone curtail 10 L > 0.005 * 1000 L -> headroom 0.
    # f = 1.5 %: all hours curtailed once L > 50: 10 L + 990 (L - 50) = 15 L -> L = 49500 / 985.
    # f = 2 %:   10 L + 990 (L - 50) = 20 L -> L = 49500 / 980.
    x = np.full(1000, 50.0)
    x[100:110] = 100.0
    h = grid.headroom_curve(_series(x), [0.005, 0.015, 0.02])
    assert h.headroom_mw.to_numpy() == pytest.approx([0.0, 49500 / 985, 49500 / 980], rel=1e-12)
    # at f = 2 %: every hour is curtailed (one event of 1000 h); curtailed energy = 0.02 * L * 1000 h
    r = h.loc[0.02]
    assert r.curtailment_hours_h == 1000 and r.events == 1
    assert r.curtailed_mwh == pytest.approx(0.02 * 1000 * 49500 / 980)
    assert r.curtailed_frac == pytest.approx(0.02)


def test_matches_brute_force_bisection_on_random_series():
    rng = np.random.default_rng(11)
    x = 1000 + 200 * np.sin(np.arange(2000) / 24 * 2 * np.pi) + rng.normal(0, 50, 2000)
    limits = [0.001, 0.0025, 0.005, 0.01, 0.05]
    h = grid.headroom_curve(_series(x), limits)
    # bisection converges to 1e-12 relative; the closed form is exact -> rel 1e-9
    assert h.headroom_mw.to_numpy() == pytest.approx([_brute_force(x, f) for f in limits], rel=1e-9)
    assert h.curtailed_frac.to_numpy() == pytest.approx(limits, rel=1e-9)


def test_events_and_hours_recounted_in_time_order():
    x = grid.example_system_load().to_numpy()
    h = grid.headroom_curve(grid.example_system_load(), [0.005])
    L = h.headroom_mw.iloc[0]
    curtailed = x + L > x.max() + 1e-9
    events = sum(1 for i in range(len(x)) if curtailed[i] and (i == 0 or not curtailed[i - 1]))
    assert h.curtailment_hours_h.iloc[0] == curtailed.sum()
    assert h.events.iloc[0] == events
    assert h.mean_event_h.iloc[0] == pytest.approx(curtailed.sum() / events)


def test_monotone_in_the_curtailment_limit():
    h = grid.headroom_curve(grid.example_system_load(), np.linspace(0.0005, 0.05, 50))
    assert np.all(np.diff(h.headroom_mw) >= 0)
    assert np.all(np.diff(h.curtailment_hours_h) >= 0)
    assert (h.headroom_mw > 0).all()


def test_zero_when_the_system_is_already_at_its_peak():
    # flat at the planning peak: any new load is curtailed every hour -> 100 % > any limit
    h = grid.headroom_curve(_series(np.full(8760, 20_000.0)), [0.0025, 0.005, 0.01])
    assert (h.headroom_mw == 0).all() and (h.curtailment_hours_h == 0).all()
    # planning peak at the median: half the hours are at or over it -> zero headroom
    x = grid.example_system_load()
    h2 = grid.headroom_curve(x, [0.0025, 0.005, 0.01], planning_peak_mw=float(x.median()))
    assert (h2.headroom_mw == 0).all()


def test_duke_reference_behaviour_on_the_example_series():
    # Norris et al. 2025 (22 largest US BAs): 76 / 98 / 126 GW at 0.25 / 0.5 / 1 %, i.e. the
    # 0.5 % and 1 % figures are 1.29x and 1.66x the 0.25 % figure. A single summer-peaking system
    # is not their aggregate, so only the shape is compared: within 15 % of those ratios.
    h = grid.headroom_curve(grid.example_system_load())
    ratios = (h.headroom_mw / h.headroom_mw.iloc[0]).to_numpy()
    assert ratios[1] == pytest.approx(98 / 76, rel=0.15)
    assert ratios[2] == pytest.approx(126 / 76, rel=0.15)
    # 0.5 % of a year is 43.8 full-load hours; partial curtailment spreads it over more hours
    assert h.curtailment_hours_h.iloc[1] > 0.005 * 8760


def test_seasonal_planning_peak_series():
    # a time-varying threshold (e.g. separate summer / winter peaks) must equal brute force
    x = grid.example_system_load()
    summer = x.index.month.isin([6, 7, 8, 9])
    peak = pd.Series(np.where(summer, x[summer].max(), x[~summer].max()), index=x.index)
    h = grid.headroom_curve(x, [0.005], planning_peak_mw=peak)
    m = (peak - np.minimum(x, peak)).to_numpy()
    L = h.headroom_mw.iloc[0]
    assert np.maximum(L - m, 0).sum() == pytest.approx(0.005 * len(x) * L, rel=1e-9)
    # the winter bar is lower than the annual peak, so margins shrink: headroom cannot grow
    assert L <= grid.headroom_curve(x, [0.005]).headroom_mw.iloc[0]
    # the share is of the highest planning peak (documented)
    assert h.headroom_frac_of_peak.iloc[0] == pytest.approx(L / peak.max(), rel=1e-12)


def test_gridstatus_style_frame_gives_the_same_answer():
    s = grid.example_system_load()
    step = pd.Timedelta("1h")
    frame = pd.DataFrame({"Time": s.index - step, "Interval Start": s.index - step,
                          "Interval End": s.index, "Load": s.to_numpy()})
    a = grid.headroom_curve(s)
    pd.testing.assert_frame_equal(grid.headroom_curve(frame), a)
    pd.testing.assert_frame_equal(grid.headroom_curve(frame.drop(columns=["Interval End"])), a)


def test_gaps_and_bad_series_are_clear_errors():
    s = grid.example_system_load()
    gappy = s.drop(s.index[100])
    gappy.index = pd.DatetimeIndex(list(gappy.index))
    with pytest.raises(InputError, match="system_load: irregular step .*gap or missing rows"):
        grid.headroom_curve(gappy)
    nan = s.copy()
    nan.iloc[[5, 9]] = np.nan
    with pytest.raises(InputError, match="2 missing value"):
        grid.headroom_curve(nan)
    with pytest.raises(InputError, match="naive"):
        grid.headroom_curve(s.tz_localize(None))
    with pytest.raises(InputError, match="no load column"):
        grid.headroom_curve(pd.DataFrame({"Interval End": s.index, "MW": s.to_numpy()}))
    with pytest.raises(InputError, match="limits must be in"):
        grid.headroom_curve(s, [1.5])


def test_example_csv_is_the_documented_synthetic_series():
    gen = grid.synthetic_system_load(**EXAMPLE_PARAMS)
    ex = grid.example_system_load()
    assert len(ex) == 8760 and ex.index[0] == pd.Timestamp("2025-01-01 01:00", tz="Etc/GMT+5")
    assert np.array_equal(ex.to_numpy(), gen.to_numpy())
    assert (ex.index == gen.index).all()


def test_is_example_system_load_knows_the_bundled_series_however_given_and_nothing_else(tmp_path):
    """The interconnection notebook's headroom title says "synthetic example" from this test of what it loaded
    (its legend alone said so, under a title naming the site). Expected: True for the bundled series read by
    default, from a copy of its file, and written in UTC (the same instants and MW); False for a series that
    differs in one value by 0.1 MW, one shifted by an hour, or one a year short (exact: no tolerance)."""
    ex = grid.example_system_load()
    assert grid.is_example_system_load(ex)
    copy = tmp_path / "my_load.csv"
    copy.write_text(data_path("system_load_example.csv").read_text())
    assert grid.is_example_system_load(grid.read_system_load_csv(copy))
    utc = tmp_path / "utc.csv"
    pd.DataFrame({"interval_end": ex.index.tz_convert("UTC").map(pd.Timestamp.isoformat),
                  "system_load_mw": ex.to_numpy()}).to_csv(utc, index=False)
    assert grid.is_example_system_load(grid.read_system_load_csv(utc))
    own = ex.copy()
    own.iloc[4000] += 0.1
    assert not grid.is_example_system_load(own)
    assert not grid.is_example_system_load(ex.shift(freq="1h"))
    assert not grid.is_example_system_load(ex.iloc[:-24])


@pytest.mark.filterwarnings("ignore:.*the system load covers:dcplan.errors.DcplanWarning")  # a few hours
@pytest.mark.filterwarnings("ignore:.*of a power system.s peak:dcplan.errors.DcplanWarning")  # toy MW values
def test_system_load_csv_reads_comments_and_dst_offsets(tmp_path):
    # the bundled example's format (# comment lines) must read as the example does
    ex = grid.read_system_load_csv(data_path("system_load_example.csv"))
    pd.testing.assert_series_equal(ex, grid.example_system_load(), check_freq=False)
    # a year in New York written by Series.to_csv: offsets -05:00 / -04:00 change at DST
    idx = pd.date_range("2024-03-10 00:00", periods=6, freq="h", tz="America/New_York")
    f = tmp_path / "ny.csv"
    pd.DataFrame({"interval_end": idx.map(pd.Timestamp.isoformat), "system_load_mw": [1, 2, 3, 4, 5, 6]}
                 ).to_csv(f, index=False)
    s = grid.read_system_load_csv(f)
    assert list(s.to_numpy()) == [1, 2, 3, 4, 5, 6]
    assert (s.index == idx).all()   # the same instants (shown in UTC), one hour apart
    bad = tmp_path / "bad.csv"
    bad.write_text("interval_end,system_load_mw\n2024-01-01T01:00:00-05:00,1\n2024-01-01T03:00:00-05:00,2\n"
                   "2024-01-01T04:00:00-05:00,3\n")
    with pytest.raises(InputError, match=r"bad\.csv: system_load: "):
        grid.read_system_load_csv(bad)


def test_infinite_load_is_an_error():
    """An infinite load value was caught only as NaN is not: with a planning peak given, the +inf
    hour silently counted as an hour at the peak (zero margin) and the headroom at 0.25 % came out
    5,082 MW on the example series; without one the error blamed planning_peak_mw. Expected: an
    InputError naming system_load and the timestamp (no tolerance: an error, not a number)."""
    x = grid.example_system_load()
    x.iloc[100] = np.inf
    with pytest.raises(InputError, match=r"system_load: 1 infinite value\(s\), first at 2025-01-05 05:00"):
        grid.headroom_curve(x, planning_peak_mw=30_000.0)
    with pytest.raises(InputError, match="system_load: 1 infinite"):
        grid.headroom_curve(x)


def test_hand_case_four_hours():
    # 4 h at 90, 100, 80, 60 MW; peak 100 -> margins 10, 0, 20, 40 MW; n = 4, limit share f of 4 L.
    # By hand: f = 0.25 -> C(L) = L (0-margin hour) + max(L - 10, 0) <= L -> L = 10 MW (1 h curtailed by 10).
    #          f = 0.5  -> L in (20, 40]: 3L - (0 + 10 + 20) <= 2L -> L = 30 MW; curtailed 30 + 20 + 10 = 60 MWh
    #          in hours 1-3 (one 3 h event); only the 10 MWh hour keeps >= half of 30 MW -> 1/3 retained.
    h = grid.headroom_curve(_series([90, 100, 80, 60]), [0.25, 0.5])
    assert h.headroom_mw.to_numpy() == pytest.approx([10.0, 30.0], rel=1e-12)  # closed form: exact up to rounding
    r = h.loc[0.5]
    assert (r.curtailed_mwh, r.curtailment_hours_h, r.events, r.max_event_h) == pytest.approx((60.0, 3, 1, 3))
    assert r.retained_ge_50pct_frac == pytest.approx(1 / 3)


@pytest.mark.filterwarnings("ignore:.*the system load covers:dcplan.errors.DcplanWarning")  # a few hours
def test_kw_and_gw_load_columns_are_converted_to_mw(tmp_path):
    """A load column in kW was either refused ('no load column') or, named with column=, read as MW:
    headroom_mw came out 1000x too large. Expected (hand case above): 10 MW at f = 0.25 for 90/100/80/60
    MW, whatever unit the column carries; rel 1e-12 covers the unit factor's rounding."""
    idx = pd.date_range("2025-01-01 01:00", periods=4, freq="h", tz="Etc/GMT+5")
    mw = np.array([90.0, 100.0, 80.0, 60.0])
    f = tmp_path / "kw.csv"
    pd.DataFrame({"interval_end": idx.map(pd.Timestamp.isoformat), "system_load_kw": mw * 1000}).to_csv(f, index=False)
    s = grid.read_system_load_csv(f)
    assert s.to_numpy() == pytest.approx(mw, rel=1e-12)
    assert grid.headroom_curve(s, [0.25]).headroom_mw.iloc[0] == pytest.approx(10.0, rel=1e-12)
    frame = pd.DataFrame({"Interval End": idx, "load_kw": mw * 1000, "Load (GW)": mw / 1000})
    for col in ("load_kw", "Load (GW)"):
        assert grid.headroom_curve(frame, [0.25], column=col).headroom_mw.iloc[0] == pytest.approx(10.0, rel=1e-12)
    kw = pd.Series(mw * 1000, index=idx, name="grid_kw")  # dcplan's own convention: kW
    assert grid.headroom_curve(kw, [0.25]).headroom_mw.iloc[0] == pytest.approx(10.0, rel=1e-12)
    # an unnamed Series takes its name (and unit) from column=; a different name is refused, not ignored
    gw = pd.Series(mw / 1000, index=idx)
    assert grid.headroom_curve(gw, [0.25], column="load_gw").headroom_mw.iloc[0] == pytest.approx(10.0, rel=1e-12)
    assert grid.headroom_curve(kw, [0.25], column="grid_kw").headroom_mw.iloc[0] == pytest.approx(10.0, rel=1e-12)
    with pytest.raises(InputError, match=r"column='load_mw' given with a Series named 'grid_kw'"):
        grid.headroom_curve(kw, [0.25], column="load_mw")


def test_non_numeric_load_is_an_input_error_naming_file_column_and_value(tmp_path):
    # was a bare ValueError ("could not convert string to float") without the file or column
    f = tmp_path / "sep.csv"
    f.write_text('interval_end,system_load_mw\n2024-07-01T01:00-04:00,1000\n2024-07-01T02:00-04:00,"1,234"\n'
                 "2024-07-01T03:00-04:00,900\n")
    with pytest.raises(InputError, match=r"sep\.csv: system_load: column 'system_load_mw': value '1,234' "
                                         r"\(data row 2\) is not a number"):
        grid.read_system_load_csv(f)


def test_time_column_errors_name_file_column_and_what_is_allowed(tmp_path):
    def csv(name, body):
        p = tmp_path / name
        p.write_text(body)
        return p
    # local wall time without offsets (DST-ambiguous): was advice to call .tz_localize, no column named
    naive = csv("naive.csv", "Interval Start,Load\n2024-11-03 00:00,1\n2024-11-03 01:00,2\n2024-11-03 01:00,3\n")
    with pytest.raises(InputError, match=r"naive\.csv: system_load: column 'Interval Start' \(interval start\): "
                                         r"timestamps have no UTC offset.*2024-07-01T01:00:00-04:00"):
        grid.read_system_load_csv(naive)
    # an empty time cell: was 'timestamps not increasing ... (after NaT)'
    nat = csv("nat.csv", "interval_end,system_load_mw\n2024-07-01T01:00-04:00,1\n,2\n2024-07-01T03:00-04:00,3\n")
    with pytest.raises(InputError, match=r"nat\.csv: system_load: empty timestamp in column 'interval_end' "
                                         r"\(data row 2\)"):
        grid.read_system_load_csv(nat)
    # an unreadable stamp: one line naming the value (was pandas' multi-line parser advice)
    bad = csv("bad.csv", "interval_end,system_load_mw\n2024-07-01T01:00-04:00,1\nfoo,2\n2024-07-01T03:00-04:00,3\n")
    with pytest.raises(InputError, match=r"bad\.csv: system_load: unreadable timestamp in column 'interval_end': "
                                         r"'foo' \(data row 2\); need ISO 8601") as e:
        grid.read_system_load_csv(bad)
    assert "\n" not in str(e.value)
    # a repeated stamp names the column and the instant
    dup = csv("dup.csv", "interval_end,system_load_mw\n2024-07-01T01:00-04:00,1\n2024-07-01T02:00-04:00,2\n"
                         "2024-07-01T02:00-04:00,2\n2024-07-01T03:00-04:00,3\n")
    with pytest.raises(InputError, match=r"dup\.csv: system_load: column 'interval_end' \(interval end\): "
                                         r"duplicate timestamp 2024-07-01 02:00:00-04:00"):
        grid.read_system_load_csv(dup)
    # no recognised time column: list the accepted ones (was 'got RangeIndex')
    nocol = csv("nocol.csv", "timestamp,system_load_mw\n2024-07-01T01:00-04:00,1\n2024-07-01T02:00-04:00,2\n")
    with pytest.raises(InputError, match=r"nocol\.csv: system_load: no time column; need one of Interval End, "
                                         r"interval_end.*\(columns: timestamp, system_load_mw\)"):
        grid.read_system_load_csv(nocol)
    # a header-only file (was 'got naive timestamps')
    with pytest.raises(InputError, match=r"empty\.csv: system_load: no data rows"):
        grid.read_system_load_csv(csv("empty.csv", "interval_end,system_load_mw\n"))
    neg = csv("neg.csv", "interval_end,system_load_mw\n2024-07-01T01:00-04:00,1\n2024-07-01T02:00-04:00,-2\n")
    with pytest.raises(InputError, match=r"neg\.csv: system_load: column 'system_load_mw': negative load -2\.0 MW "
                                         r"at 2024-07-01 02:00:00-04:00; load must be >= 0"):
        grid.read_system_load_csv(neg)
    with pytest.raises(InputError, match=r"planning_peak_mw: must be finite and > 0 \[MW\], got -1\.0 at 2025"):
        grid.headroom_curve(_series([1.0, 2.0]), planning_peak_mw=-1.0)


@pytest.mark.filterwarnings("ignore:.*the system load covers:dcplan.errors.DcplanWarning")  # a few hours
@pytest.mark.filterwarnings("ignore:.*of a power system.s peak:dcplan.errors.DcplanWarning")  # toy MW values
def test_interval_start_local_time_export_across_fall_back(tmp_path):
    # gridstatus-style export in New York local time with offsets, labelled by interval START, over the
    # repeated 01:00 of 2024-11-03. Expected labels: start + 1 h as instants, i.e. 05:00..09:00 UTC
    # (00:00-04:00 = 04:00 UTC start); no duplicate, no gap, values in file order. Exact.
    f = tmp_path / "gs.csv"
    f.write_text("Interval Start,Load\n2024-11-03T00:00:00-04:00,1\n2024-11-03T01:00:00-04:00,2\n"
                 "2024-11-03T01:00:00-05:00,3\n2024-11-03T02:00:00-05:00,4\n")
    s = grid.read_system_load_csv(f)
    assert list(s.index) == list(pd.date_range("2024-11-03 05:00", periods=4, freq="h", tz="UTC"))
    assert list(s.to_numpy()) == [1, 2, 3, 4]


def test_a_system_load_shorter_than_a_year_is_warned_and_a_missing_column_names_the_allowed(tmp_path):
    """A 200-hour series published a headroom as if it were a year's; a CSV without a load
    column said 'pass column=...', which a notebook user cannot."""
    from dcplan.errors import DcplanWarning
    idx = pd.date_range("2024-07-01 01:00", periods=200, freq="h", tz="America/New_York")
    f = tmp_path / "short.csv"
    pd.DataFrame({"interval_end": idx.strftime("%Y-%m-%dT%H:%M%z"), "system_load_mw": 1000.0}).to_csv(f, index=False)
    with pytest.warns(DcplanWarning, match=r"short\.csv: the system load covers 8\.3 days"):
        grid.read_system_load_csv(f)
    g = tmp_path / "cols.csv"
    pd.DataFrame({"interval_end": idx.strftime("%Y-%m-%dT%H:%M%z"), "foo": 1.0}).to_csv(g, index=False)
    with pytest.raises(InputError, match=r"no load column: name it one of Load, load_mw, system_load_mw.*"
                                         r"columns found: interval_end, foo"):
        grid.read_system_load_csv(g)


def test_an_unreadable_bundled_example_is_an_error_naming_the_file(tmp_path, monkeypatch):
    """The interconnection notebook without -p system_load_csv reads the bundled example; an edit of it that is not
    a number raised a bare ValueError ("could not convert string to float") in the cell, naming no file. It is
    now read as a system_load_csv of one's own is, so the error names the file, column, value and data row.
    The bundled series itself is unchanged: equal to the CSV read here by hand (8,760 hours, its MW values)."""
    from dcplan import grid_headroom as gh
    text = data_path("system_load_example.csv").read_text(encoding="utf-8")
    rows = [ln.split(",") for ln in text.splitlines() if ln and not ln.startswith("#")][1:]
    gh._read_example.cache_clear()
    try:
        s = gh.example_system_load()
        assert len(s) == len(rows) == 8760
        assert s.to_numpy().tolist() == [float(v) for _, v in rows]
        assert s.index[0] == pd.Timestamp(rows[0][0]) and s.index[-1] == pd.Timestamp(rows[-1][0])
        bad = tmp_path / "system_load_example.csv"
        bad.write_text(text.replace("2025-01-01T02:00:00-05:00,16987.3", "2025-01-01T02:00:00-05:00,abc", 1),
                       encoding="utf-8")
        monkeypatch.setattr(gh, "data_path", lambda name: tmp_path / name)
        gh._read_example.cache_clear()
        with pytest.raises(InputError) as e:
            gh.example_system_load()
        assert str(e.value) == (f"{bad}: system_load: column 'system_load_mw': value 'abc' (data row 2) is not a "
                                "number; need plain numbers (no thousands separators or units)")
    finally:
        monkeypatch.undo()
        gh._read_example.cache_clear()
