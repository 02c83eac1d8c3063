"""Where dcplan's bundled data and notebooks are.

From a checkout, ``data/`` and ``notebooks/`` sit beside the package. From an
installed wheel they are packaged as ``dcplan/_bundled/{data,notebooks}``.
"""
from __future__ import annotations

from pathlib import Path

_PKG = Path(__file__).resolve().parent


_CHECKOUT = _PKG.parent if (_PKG.parent / "pyproject.toml").is_file() else None


def _locate(name: str) -> Path:
    bundled = _PKG / "_bundled" / name          # inside an installed wheel
    if bundled.is_dir():
        return bundled
    if _CHECKOUT is not None:                   # a source checkout (also editable installs)
        return _CHECKOUT / name
    return bundled


def data_dir() -> Path:
    """Directory holding the bundled data (sites, weather, tariffs, catalogs)."""
    return _locate("data")


def notebooks_dir() -> Path:
    """Directory holding the bundled notebooks."""
    return _locate("notebooks")


def data_path(*parts: str) -> Path:
    """Path of a file inside the bundled data directory."""
    return data_dir().joinpath(*parts)


def default_portfolio() -> Path:
    """The bundled example portfolio file."""
    return data_path("portfolio.yaml")
