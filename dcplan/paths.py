"""Where dcplan's bundled data and notebooks are.

From a checkout, ``data/`` and ``notebooks/`` sit beside the package. From an
installed wheel they are packaged as ``dcplan/_bundled/{data,notebooks}``.
"""
from __future__ import annotations

from pathlib import Path

_PKG = Path(__file__).resolve().parent


def _first_existing(*cands: Path) -> Path:
    for c in cands:
        if c.is_dir():
            return c
    return cands[0]


def data_dir() -> Path:
    """Directory holding the bundled data (sites, weather, tariffs, catalogs)."""
    return _first_existing(_PKG.parent / "data", _PKG / "_bundled" / "data")


def notebooks_dir() -> Path:
    """Directory holding the bundled notebooks."""
    return _first_existing(_PKG.parent / "notebooks", _PKG / "_bundled" / "notebooks")


def data_path(*parts: str) -> Path:
    """Path of a file inside the bundled data directory."""
    return data_dir().joinpath(*parts)


def default_portfolio() -> Path:
    """The bundled example portfolio file."""
    return data_path("portfolio.yaml")
