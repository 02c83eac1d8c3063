"""Warnings raised while another site of the portfolio is modelled, said as that site's.

A notebook about one site runs its peers too (the ``site_analysis`` verdict ranks the site
among them): a warning their loading or modelling raises (a peer's leap weather year, a peer's
plant short of capacity) concerns the peer's figures in the comparison, not this site's own.
Shown unchanged it read as this site's caveat (a tester's site with a 2025 weather year was
warned that "2024 is a leap year" — its peer's). :func:`as_peer` re-issues each
:class:`~dcplan.errors.DcplanWarning` raised inside it with the peer named first.
"""
from __future__ import annotations

import warnings
from contextlib import contextmanager

from .errors import DcplanWarning

__all__ = ["as_peer", "as_site", "peer_prefix", "site_prefix", "is_peer", "count_text"]


def peer_prefix(name: str, site_id: str, where: str = "ranked beside this site") -> str:
    """How a peer's warning starts: ``peer site <name> (<id>), <where>: ``."""
    return f"peer site {name} ({site_id}), {where}: "


def site_prefix(name: str, site_id: str) -> str:
    """How a warning about one site of a portfolio-wide run starts: ``site <name> (<id>): `` (the
    ``portfolio_comparison`` notebook models every site: "1 warning ... hourly plant: in 234 h ..."
    did not say which of 22 sites it was about)."""
    return f"site {name} ({site_id}): "


def is_peer(message: str) -> bool:
    """Whether a warning's message is a peer site's (:func:`peer_prefix`)."""
    return isinstance(message, str) and message.startswith("peer site ")


def count_text(messages) -> str:
    """How many warnings a run issued, its own apart from its peers' (a site with no warning of its
    own read "3 warnings" in the index beside its headline figures, all three about peer sites):
    "2 warnings", "1 warning and 3 about peer sites", "3 warnings, all about peer sites ranked beside
    it (none about this site's own figures)"; "" for none."""
    msgs = [m for m in messages or [] if isinstance(m, str)]
    peers = sum(map(is_peer, msgs))
    own = len(msgs) - peers

    def n(k: int) -> str:
        return f"{k} warning{'' if k == 1 else 's'}"
    if not msgs:
        return ""
    if not peers:
        return n(own)
    if not own:
        return (f"{n(peers)}, {'about a peer site' if peers == 1 else 'all about peer sites'} ranked beside it "
                "(none about this site's own figures)")
    return f"{n(own)} and {peers} about peer site{'' if peers == 1 else 's'}"


@contextmanager
def _reissued(prefix: str):
    """Run the block and re-issue every :class:`DcplanWarning` it raised as ``prefix + message``."""
    with warnings.catch_warnings(record=True) as caught:
        yield
    for w in caught:
        if issubclass(w.category, DcplanWarning):
            warnings.warn(prefix + str(w.message), w.category, stacklevel=5)  # the caller of as_peer / as_site
        else:
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno, source=w.source)


@contextmanager
def as_peer(name: str, site_id: str, where: str = "ranked beside this site"):
    """Run the block and re-issue every :class:`DcplanWarning` it raised as
    ``peer site <name> (<id>), <where>: <message>`` (same category); other warnings are
    re-issued unchanged.

    The caller's warning filters apply inside the block as before (an ``error`` filter still
    raises the warning there, unchanged; an ``ignore`` drops it) and again to the re-issued
    warning."""
    with _reissued(peer_prefix(name, site_id, where)):
        yield


@contextmanager
def as_site(name: str, site_id: str):
    """As :func:`as_peer`, for a run about every site of a portfolio (no site is "this site"):
    each :class:`DcplanWarning` is re-issued as ``site <name> (<id>): <message>``
    (:func:`site_prefix`), counted as the run's own by :func:`count_text`."""
    with _reissued(site_prefix(name, site_id)):
        yield
