"""A sweep's sites whose weather or tariff file is not there (part of :mod:`dcplan.sweep`).

:func:`dcplan.site.load_portfolio` holds such a site with the error :func:`dcplan.site.load_site` raises for it
(:attr:`dcplan.site.Portfolio.file_problems`: the file's name and the folders it was looked in), so the other sites
are used. A sweep treats it as ``dcplan render`` does (:mod:`dcplan.report_plan`):

* a sweep that runs it (no ``site`` axis, or one naming it) is refused with that error, whether the sweep is read
  from YAML (:func:`dcplan.sweep_load.load_sweep`) or built in Python (``SweepSpec(sites=portfolio, ...)``, or the
  portfolio's sites as a list); the case weather check refused it as a bare ``<data>/weather/<name>: weather file
  not found`` (a tariff file not there ran, every case failing with a ``FileNotFoundError``);
* a ``site`` axis that leaves it out runs, with one :class:`~dcplan.errors.DcplanWarning` naming it, as render's
  ``--sites`` (:func:`held_left_out_text`).
"""
from __future__ import annotations

__all__ = ["held_site_errors", "held_left_out_text"]


def held_site_errors(sites, held: dict | None = None) -> dict:
    """``{site id: SiteError}`` of the ``sites`` whose weather or tariff file is not there (not found, a folder, a
    weather file whose first line is not its format's), each the error :func:`dcplan.site.load_site` raises for its
    site file.

    ``held``: the portfolio's :attr:`~dcplan.site.Portfolio.file_problems` when the sites came as a portfolio (its
    errors, as held). Else (a list of sites, such as ``list(portfolio)``, whose held sites carry no mark) each site
    read from a file has its files checked again as ``load_site`` checks them (:func:`dcplan.site_files._file_problems`,
    with the weather checks said beside them: a held site's only problems are its files', so this is ``load_site``'s
    error); a site built in code (no file) is left to the case weather check (:mod:`dcplan.sweep_weather`)."""
    if held is not None:
        return {s.id: held[s.id] for s in sites if s.id in held}
    from .site import SiteError
    from .site_files import _file_problems
    from .site_station import station_problems_beside
    out = {}
    for s in sites:
        if not s.source_file:
            continue
        own = _file_problems(s.source_file, s.weather.file, s.weather.format,
                             None if s.tariff is None else s.tariff.file)
        if own:
            out[s.id] = SiteError(s.source_file, own + station_problems_beside(own, s))
    return out


def held_left_out_text(left: dict, portfolio: str | None, where: str = "") -> str:
    """The one warning of a sweep whose ``site`` axis leaves out the sites ``left`` (``{site id: SiteError}``,
    :func:`held_site_errors`), worded as render's for ``--sites`` (:func:`dcplan.report_plan._warn_unselected`):
    ``site 'lost' has bad files (<its file>), not in the sweep's site axis, so not run; dcplan validate
    <portfolio> lists the problems``. ``portfolio``: the portfolio file (None: the first site's file);
    ``where``: the sweep file's ``"<file>: "`` (empty for a sweep built in code)."""
    ids = list(left)
    who = f"site {ids[0]!r} has" if len(ids) == 1 else f"sites {', '.join(repr(i) for i in ids)} have"
    first = str(left[ids[0]]).split(": ", 1)[0]
    return (f"{where}axes.site: {who} bad files ({first}{' ...' if len(ids) > 1 else ''}), not in the sweep's site "
            f"axis, so not run; dcplan validate {portfolio or first} lists the problems")
