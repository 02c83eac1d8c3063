"""dcplan.plotting_dates: a tz-aware pandas time axis converted to matplotlib's dates in one step, to the same
numbers and so the same figure as matplotlib's own one-by-one conversion (the reference here is matplotlib's
``date2num`` itself, and a figure drawn without the converter registered)."""
from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.dates as mdates  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import matplotlib.units as munits  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from dcplan import plotting_dates  # noqa: E402


@pytest.fixture
def registry():
    """matplotlib's converter registry as it was before the test, restored after it; within the test it starts with
    matplotlib's own date converter (an earlier test in the same process may have called use_style(), which
    registers this module's)."""
    saved = dict(munits.registry)
    if isinstance(munits.registry.get(np.datetime64), plotting_dates.TimestampConverter):
        munits.registry[np.datetime64] = plotting_dates._Base()
    yield munits.registry
    munits.registry.clear()
    munits.registry.update(saved)


def _times(periods, freq, tz, start="2025-03-09 00:00"):
    return np.asarray(pd.date_range(start, periods=periods, freq=freq, tz=tz).to_numpy())


@pytest.mark.parametrize("tz", ["America/Chicago", "UTC", "Asia/Kolkata", "Australia/Lord_Howe"])
@pytest.mark.parametrize("freq", ["s", "15min", "h"])
def test_the_numbers_are_date2nums_bit_for_bit(tz, freq):
    """Over a spring daylight-saving change (Chicago's 2025-03-09; Lord Howe's half-hour shift is in April and
    October, its +10:30 offset here), the numbers date2num makes of the datetime64[us] array equal, bit for
    bit, those it makes of the Timestamps one by one (its own path: astimezone(UTC), tz dropped)."""
    t = _times(5000, freq, tz)
    fast = plotting_dates.utc_datetime64_us(t)
    assert fast is not None and fast.dtype == np.dtype("datetime64[us]")
    assert np.array_equal(mdates.date2num(fast).view(np.int64), mdates.date2num(t).view(np.int64))


def test_what_it_does_not_take_goes_to_date2num_unchanged():
    """A scalar, a short array, naive times, datetime64, NaT, two zones, a nanosecond part, a masked array,
    2-D and plain datetimes: None (matplotlib converts them as before)."""
    t = _times(200, "s", "America/Chicago")
    mixed = t.copy()
    mixed[100] = mixed[100].tz_convert("America/New_York")  # the same instant in another zone
    nat = t.copy()
    nat[5] = pd.NaT
    ns = np.asarray(pd.date_range("2025-01-01 00:00:00.000000001", periods=200, freq="s", tz="UTC").to_numpy())
    naive = np.asarray(pd.date_range("2025-01-01", periods=200, freq="s").to_numpy().astype(object))
    cases = {"scalar": t[0], "short": t[:plotting_dates.MIN_POINTS - 1], "naive Timestamps": naive,
             "datetime64": pd.date_range("2025-01-01", periods=200, freq="s").to_numpy(), "NaT": nat,
             "two zones": mixed, "nanoseconds": ns, "masked": np.ma.masked_array(t, mask=np.zeros(len(t), bool)),
             "2-D": t.reshape(2, 100), "datetime": np.array([x.to_pydatetime() for x in t], dtype=object),
             "list": list(t)}
    for name, value in cases.items():
        assert plotting_dates.utc_datetime64_us(value) is None, name
    assert plotting_dates.utc_datetime64_us(t[:plotting_dates.MIN_POINTS]) is not None


def _draw(with_converter: bool, registry):
    """Four hours of seconds and a week of hours (tz-aware, a DST change in each), a datetime64 line and a Timestamp
    axvline on shared axes, as pixels and tick labels."""
    if with_converter:
        assert plotting_dates.register()
    day = pd.Series(np.sin(np.arange(14400) / 3000.0),  # the autumn change: 01:00-02:00 twice, 00:00 to 03:00
                    index=pd.date_range("2025-11-02", periods=14400, freq="s", tz="America/Chicago"))
    week = pd.Series(np.arange(168.0), index=pd.date_range("2025-03-07", periods=168, freq="h", tz="Europe/Berlin"))
    fig, axes = plt.subplots(2, 1, figsize=(8, 6), dpi=80, layout="tight")
    axes[0].plot(day.index, day, label="day")
    axes[0].plot(day.index[::60].tz_convert("UTC").tz_localize(None).to_numpy(), day.iloc[::60], ls="--")
    axes[0].axvline(day.index[9000], color="k")
    axes[1].plot(week.index, week)
    axes[1].xaxis.set_major_formatter(mdates.DateFormatter("%d %H:%M"))
    fig.canvas.draw()
    out = (np.asarray(fig.canvas.buffer_rgba()).copy(), [[t.get_text() for t in ax.get_xticklabels()] for ax in axes],
           type(axes[0].xaxis.get_converter()))
    plt.close(fig)
    return out


def test_a_figure_is_the_same_pixels_with_it(registry, monkeypatch):
    """The same figure, drawn with matplotlib's converter and with this one registered: every pixel and tick label
    equal, the converter on the axis is this one, and its one-step path converted the tz-aware lines."""
    px0, ticks0, conv0 = _draw(False, registry)
    fast = []
    real = plotting_dates.utc_datetime64_us
    monkeypatch.setattr(plotting_dates, "utc_datetime64_us", lambda v: fast.append(real(v) is not None) or real(v))
    px1, ticks1, conv1 = _draw(True, registry)
    assert conv0 is not plotting_dates.TimestampConverter and conv1 is plotting_dates.TimestampConverter
    assert ticks1 == ticks0 and any(ticks0[0])
    assert px1.shape == px0.shape and np.array_equal(px1, px0)
    assert sum(fast) >= 2  # the day's and the week's lines, at least once each


def test_register_leaves_another_converter_alone(registry):
    """Registered once, in place of matplotlib's own date converter only: pandas' converters (registered by
    hand) stay, and are not replaced; the converter compares equal to matplotlib's both ways, so an axis holding
    either keeps it without matplotlib's 'incompatible converter' warning."""
    mpl_own = registry[np.datetime64]
    assert plotting_dates.register() and plotting_dates.register()
    ours = registry[np.datetime64]
    assert isinstance(ours, plotting_dates.TimestampConverter)
    assert ours == mpl_own and mpl_own == ours and not (ours != mpl_own) and not (mpl_own != ours)
    registry[np.datetime64] = mpl_own
    from pandas.plotting import deregister_matplotlib_converters, register_matplotlib_converters
    register_matplotlib_converters()
    try:
        pandas_own = registry[np.datetime64]
        assert not plotting_dates.register() and registry[np.datetime64] is pandas_own
    finally:
        deregister_matplotlib_converters()
