"""Time-zone-aware pandas times on a matplotlib axis, converted in one vectorized step instead of one by one.

A notebook plots a series against its tz-aware ``DatetimeIndex`` (``ax.plot(s.index, s)``): matplotlib receives
an object array of :class:`pandas.Timestamp` and :func:`matplotlib.dates.date2num` turns each into UTC and then
into a naive ``datetime`` (``dt.astimezone(UTC).replace(tzinfo=None)``, about 3 us a point), before it takes the
array as ``datetime64[us]``: 0.27 s for a day of seconds, 0.1-0.2 s of each ``cooling_lag`` run (90 minutes of
seconds, seven lines). A tz-aware ``Timestamp``'s ``value`` is already those nanoseconds since the epoch in UTC,
so :class:`TimestampConverter` reads it and hands ``date2num`` the ``datetime64[us]`` array it would have built:
the same numbers, bit for bit, so the same figure.

* **Only where it is the same**: a 1-D, unmasked object array of at least :data:`MIN_POINTS` ``Timestamp`` s
  (the type itself, not a subclass) sharing one ``tzinfo``, every one at a whole microsecond (``date2num``'s
  ``datetime64[us]`` would drop a nanosecond part; a conversion of it is left to ``date2num``). Anything else
  (a scalar, naive times, ``NaT``, mixed zones, ``datetime64`` arrays, which ``date2num`` already takes whole)
  goes to matplotlib's own converter unchanged.
* **Same axis behaviour**: :class:`TimestampConverter` is matplotlib's date converter (a subclass of
  ``matplotlib.dates._SwitchableDateConverter``: the same units, locators and formatters, from the same
  rcParams) and compares equal to it, so an axis that already holds matplotlib's converter keeps it, and one that
  later gets ``datetime`` or ``datetime64`` data keeps this one, without the "incompatible converter" warning or a
  re-made locator (:meth:`matplotlib.axis.Axis.update_units`).
* **Where**: :func:`register` puts it in ``matplotlib.units.registry`` for ``numpy.datetime64``, in place of
  matplotlib's own date converter, only while that is the one there (a converter pandas'
  ``register_matplotlib_converters`` or a user put there is left alone): matplotlib picks an array's converter
  by its first element unpacked to numpy, and a ``Timestamp`` unpacks to a ``datetime64``, so that is the entry
  a tz-aware time axis reaches (``datetime`` and ``date`` keep matplotlib's). pandas' own plotting registers
  its converters for the duration of a call and then restores this one. :func:`dcplan.plotting.use_style`
  calls it.
"""
from __future__ import annotations

import numpy as np

__all__ = ["MIN_POINTS", "TimestampConverter", "register", "utc_datetime64_us"]

#: Arrays shorter than this go to ``date2num`` as they are (nothing to gain on a handful of points).
MIN_POINTS = 64

try:  # the converter matplotlib registers for datetime, date and datetime64 (private; 3.5 and later)
    from matplotlib.dates import _SwitchableDateConverter as _Base
except ImportError:  # pragma: no cover - another matplotlib: register() does nothing
    _Base = None


def utc_datetime64_us(value) -> np.ndarray | None:
    """``value`` as the ``datetime64[us]`` array (UTC, naive) :func:`matplotlib.dates.date2num` makes of it, when
    it is an object array of tz-aware ``pandas.Timestamp`` s this module takes (module docstring); else None."""
    import pandas as pd
    if (type(value) is not np.ndarray or value.dtype != object or value.ndim != 1  # noqa: E721 - not masked
            or value.size < MIN_POINTS):
        return None
    first = value[0]
    tz = getattr(first, "tzinfo", None)
    if tz is None or type(first) is not pd.Timestamp:
        return None
    try:
        ns = np.fromiter((t.value for t in value if type(t) is pd.Timestamp and t.tzinfo is tz), dtype=np.int64,
                         count=value.size)
    except (ValueError, OverflowError):  # fewer items (another type or zone among them), or out of range
        return None
    if (ns % 1000).any():  # a nanosecond part: date2num's own conversion decides
        return None
    return (ns // 1000).view("datetime64[us]")


if _Base is not None:
    class TimestampConverter(_Base):
        """matplotlib's date converter, with tz-aware ``Timestamp`` arrays converted in one step (module
        docstring); equal to matplotlib's own."""

        def convert(self, value, unit, axis):
            fast = utc_datetime64_us(value)
            return super().convert(value if fast is None else fast, unit, axis)

        def __eq__(self, other):
            return isinstance(other, _Base) or NotImplemented

        def __ne__(self, other):
            eq = self.__eq__(other)
            return NotImplemented if eq is NotImplemented else not eq

        __hash__ = object.__hash__
else:  # pragma: no cover
    TimestampConverter = None


def register() -> bool:
    """Put a :class:`TimestampConverter` in ``matplotlib.units.registry`` for ``numpy.datetime64`` while the
    registry holds matplotlib's own date converter there (module docstring); True when one is there after."""
    import matplotlib.units as munits
    if TimestampConverter is None:
        return False
    current = munits.registry.get(np.datetime64)
    if isinstance(current, TimestampConverter):
        return True
    if type(current) is not _Base:
        return False  # pandas' converter, or a user's: left alone
    munits.registry[np.datetime64] = TimestampConverter()
    return True
