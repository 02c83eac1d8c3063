"""dcplan: planning suite for AI datacenter power and cooling.

Layers: pure model functions (``power``, ``thermal``, ``grid``,
``solar``, ``tariff``, ``schedule``, ``tco``), validated specs (``site``), the
one-site chain (``pipeline``) and the edges that read or write files
(``weather``, ``report``, ``sweep``, ``cli``).
"""
from importlib.metadata import PackageNotFoundError, version as _version

try:
    __version__ = _version("dcplan")
except PackageNotFoundError:  # running from a checkout that was never installed
    __version__ = "0.0.0+unknown"

# Before any dcplan module imports numba: a cache folder numba can write, so a read-only install whose user has
# no writable home still imports (dcplan/_numba_cache.py).
from dcplan._numba_cache import configure as _configure_numba_cache

_configure_numba_cache()

__all__ = ["__version__"]
