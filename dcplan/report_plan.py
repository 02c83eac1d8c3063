"""Planning a render: which runs, with which parameters (part of :mod:`dcplan.report`).

:func:`plan_runs` validates the portfolio, picks the sites and notebooks and returns one
:class:`Run` per (site, notebook) pair, or one per portfolio for notebooks whose metadata
says ``{"dcplan": {"scope": "portfolio"}}`` (:func:`notebook_scope`).

* **Parameters are checked** against each notebook's declared parameters before any run
  (the notebooks, their metadata and the values: :mod:`dcplan.report_params`): a per-site
  notebook must declare ``site`` and ``portfolio``; a ``-p`` override that no selected
  notebook declares is an error (with a "did you mean"); a declared parameter whose
  default is ``None`` is required; each value gets the declared type and must meet the
  notebook's rules.
* **Inputs of each run** are recorded for its provenance and fingerprint: the notebook, the
  portfolio, the model data tables (:data:`MODEL_DATA_FILES`), the site's files
  (:func:`site_input_files`), for a per-site notebook that reads the other sites (no
  ``"peers": false``) theirs too (``peer:<site id>:<role>``, :func:`peer_input_files`), and a
  file given by a file parameter (``param:<name>``, with
  the price files a tariff JSON names); a ``<role>_file`` parameter replaces the site's
  file of that role (``tariff_file``: the site's tariff and its price files), which the
  provenance then lists under ``replaced_inputs``.
* **Not applicable**: a run whose site lacks a section the notebook needs
  (:func:`notebook_requires`) is marked, not executed, unless a file parameter given for it
  stands in for the section (``"site"`` or ``""`` are the site's own section, not a file); so is a
  run whose notebook's precheck says its values (defaults, or ``-p`` values valid in themselves)
  do not apply to the site (:func:`dcplan.report_params.notebook_precheck`, e.g. no flexible
  work for the off-peak schedule).
* **Weather is checked** for every site (:func:`check_site_weather`): a weather file whose
  rows the runs could not load, or a site whose position, time zone or elevation does not
  match its file's station, is an input error of that site, not a failed run per notebook.
* **Tariffs are checked** the same way (:func:`check_site_tariffs`): every site's URDB
  tariff file, and a file a ``tariff_file`` parameter gives, with ``dcplan validate``'s
  checks (:mod:`dcplan.validate`); a bad one is an input error naming the file, field and
  value before any run, not a failed run of each notebook that bills it.
* **A bad site stops only what reads it** (:func:`site_file_problems`): with ``--sites``, an
  input error before any run only when a selected site's weather or tariff is bad (or its
  ``battery.target: bill`` cannot run on its tariff: :func:`check_site_battery_bill`), or another
  site's and a selected notebook reads every site (portfolio scope, or no ``"peers": false``);
  without, the runs that read a bad site are refused (:attr:`Run.bad_input`: listed as failed,
  not executed) while the others render; every site bad: an input error.
* **Plausibility warnings**, on request (``dcplan render`` asks): ``dcplan validate``'s warnings
  of figures each valid alone that do not fit together (:mod:`dcplan.site_plausibility`), once
  for each site the runs render (:func:`warn_rendered_sites`); the render goes on. Asked or not, each
  per-site run records its site's (:attr:`Run.site_warnings`): its results.json ``warnings`` and its
  report's warnings block list them first.

The names of :mod:`dcplan.report_params` are importable from here too, as they were before
that module was split off.
"""
from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

from ._text import did_you_mean
from .errors import InputError
from .paths import data_path, default_portfolio, input_path, notebooks_dir
from .plan_dates import NO_TIME_TO_POWER, wait_fingerprint
from .report_files import safe_slug
from .report_provenance import bundled_data_inputs, run_start_utc
from .site_carbon import carbon_vintages
from .site_files import site_input_files, tariff_side_files  # noqa: F401  (re-exported)
# importing report_params first imports jsonschema without its IRI grammars
from .report_params import (_BOOL_TEXT, _RULE_KEYS, EXPORTS_DIR, FILE_PARAMETER_SUFFIXES,  # noqa: F401
                            OPTIONAL_SECTIONS, SITE_SECTION_VALUE, _choices_from, _dcplan_metadata,
                            _default_value, _file_candidates, _import_jsonschema_without_iri_grammars,
                            _inspect_as_python, _is_file, _is_number, _literal, available_notebooks,
                            check_export_dir, check_parameter, coerce_parameter, is_file_parameter,
                            notebook_parameters, notebook_precheck, notebook_reads_peers, notebook_requires,
                            notebook_rules, notebook_scope, resolve_file_parameter)

PORTFOLIO_DIR = "_portfolio"
#: Model data tables every run may read; hashed into each run's provenance.
MODEL_DATA_FILES = ("hardware.csv", "cooling_defaults.csv", "costs.csv", "interconnection.csv",
                    "equipment_lead_times.csv", "system_load_example.csv")


@dataclasses.dataclass(frozen=True)
class Run:
    """One notebook execution: a notebook for a site (or for the whole portfolio)."""

    notebook: Path
    site_id: str | None
    site_name: str
    parameters: dict
    out_dir: Path           # final folder of this run
    reports_root: Path
    input_files: dict       # name -> Path, hashed into provenance
    vintages: dict
    #: the files of every site of the portfolio (a per-site notebook may compare its
    #: site with the others), hashed into the fingerprint; empty for a per-site notebook
    #: whose metadata says it reads only its own site (``dcplan.peers: false``,
    #: :func:`dcplan.report_params.notebook_reads_peers`)
    portfolio_files: dict = dataclasses.field(default_factory=dict)
    #: the files of every site of the portfolio (``<role>:<site id>``, as ``portfolio_files``), whatever the
    #: notebook reads: not hashed into the fingerprint; what the index and results.csv compare the folder's
    #: other reports with (:func:`dcplan.report_stale.resolved_site_files`), so a report of a site of this
    #: portfolio rendered from another YAML (the same site id in another portfolio) is not called current
    portfolio_site_files: dict = dataclasses.field(default_factory=dict)
    #: hash of everything the outputs depend on (see
    #: :func:`dcplan.report_fingerprint.run_fingerprint`); set by render
    fingerprint: str | None = None
    #: input roles a file parameter replaced (``{"tariff": "param:tariff_file"}``): listed
    #: in ``input_files`` (hashed), but not what the run read
    replaced_inputs: dict = dataclasses.field(default_factory=dict)
    #: why the notebook does not apply to this site (it lacks a section the notebook
    #: needs, :func:`notebook_requires`): the run is not executed and is not a failure
    not_applicable: str | None = None
    #: why the run is refused as bad input (its site's weather or tariff file, or a peer's that
    #: the notebook reads, is bad: :func:`site_file_problems`): not executed, a failure; only
    #: in a render of every site (with ``--sites``, such a problem stops the render instead)
    bad_input: str | None = None
    #: what the reader must know about the inputs: the site file's ``notes`` (a portfolio
    #: run: the portfolio's ``description``), shown at the top of the report and in results.json
    notes: str = ""
    #: the scratch folder of the render that planned this run (set by render): runs execute
    #: in folders made there, and once it is gone (the render was interrupted or has ended)
    #: the run writes nothing into the reports folder (:func:`dcplan.report_execute.render_gone`)
    scratch: Path | None = None
    #: the site's plausibility warnings (:func:`dcplan.site_plausibility.site_warnings`, as ``dcplan
    #: validate`` gives them; set by :func:`plan_runs` for a per-site run, whether or not it issues them):
    #: the run records them first in its results.json ``warnings`` and its report's warnings block. Not
    #: hashed into the fingerprint: they follow from what is (the site's files, the data tables, dcplan's code)
    site_warnings: tuple = ()
    #: what the run's time to power is conditioned on (:func:`dcplan.plan_dates.wait_fingerprint` of the sites it
    #: reads: ``(site id, months waited, the date they are counted to)``; set by :func:`plan_runs`, empty for a
    #: notebook that reads no time to power, :data:`dcplan.plan_dates.NO_TIME_TO_POWER`): in the fingerprint,
    #: so a report whose sites count their wait to the machine's date is rendered again on a later day
    waits: tuple = ()

    @property
    def key(self) -> str:
        return f"{self.site_id or PORTFOLIO_DIR}/{self.notebook.stem}"


@dataclasses.dataclass
class RunResult:
    run: Run
    ok: bool
    seconds: float
    error: str | None = None
    failed_cell: int | None = None
    results: dict = dataclasses.field(default_factory=dict)
    notebook_bytes: int = 0
    reused_from: str | None = None  # when set: outputs kept from that run (same fingerprint)
    #: the messages of the dcplan warnings the run issued (results.json ``warnings``)
    warnings: list = dataclasses.field(default_factory=list)
    #: a note on the run's folder (:func:`dcplan.report_files._place`: its previous folder could not be deleted
    #: and is left, named), "" for none; the summary table prints it under the run's line
    folder_note: str = ""
    #: a reader's own files of the run's previous folder, moved to ``_your_files/`` when the run replaced it
    #: (:data:`dcplan.report_foreign.YOUR_FILES`: ``runs.json`` records it, the index shows it), None for none
    your_files: dict | None = None
    #: when the run ended (UTC, ISO seconds): made with the result, where the run ended (a Dask
    #: worker's too); ``runs.json``'s ``when`` (a render stopped later does not restamp it); with
    #: ``SOURCE_DATE_EPOCH`` set its time, as every time a render states (report_provenance.run_start_utc)
    ended: str = dataclasses.field(default_factory=run_start_utc)


# ---------------------------------------------------------------------------
# the plan: one run per (site, notebook), or per portfolio


def plan_runs(portfolio: str | Path | None = None, sites: list[str] | None = None,
              notebooks: list[str] | None = None, out: str | Path = "reports",
              parameters: dict[str, Any] | None = None, notebook_dir: Path | None = None,
              plausibility_warnings: bool = False) -> list[Run]:
    """Validate the portfolio, pick sites and notebooks, check parameters; return the runs.

    ``plausibility_warnings``: once the plan is made, issue ``dcplan validate``'s plausibility
    warnings (:func:`dcplan.site_plausibility.warn_site`) for each site the runs render, once
    per site (:func:`warn_rendered_sites`); ``dcplan render`` does."""
    from .site import load_portfolio

    bundled = portfolio is None or str(portfolio) == "default"
    # a data/... name finds the bundled copy outside a checkout too, as dcplan validate does
    pf_path = Path(default_portfolio() if bundled else input_path(portfolio))
    pf = load_portfolio(pf_path)
    if plausibility_warnings:  # an edited data-catalog copy beside the portfolio is not read: said once
        from .catalog_copy import warn_catalog_copies
        warn_catalog_copies(pf)
    # refused below: the sites (and peers) the runs need; a site whose weather or tariff file is not
    # there (load_portfolio holds its error) is one of them, as a site whose file is damaged
    held = pf.file_problems
    found = site_file_problems([s for s in pf.sites if s.id not in held])
    bad = {s.id: held.get(s.id) or found[s.id] for s in pf.sites if s.id in held or s.id in found}
    out = Path(out).resolve()
    parameters = dict(parameters or {})

    if notebook_dir is not None and not Path(notebook_dir).is_dir():
        what = "is a file, not a folder" if Path(notebook_dir).exists() else "folder not found"
        raise InputError(f"{what}; give the folder that holds the notebooks (*.ipynb)",
                         file=str(notebook_dir), field="--notebook-dir")
    all_nbs = available_notebooks(notebook_dir)
    if not all_nbs:
        raise InputError("no notebooks (*.ipynb) found in this folder", file=str(notebook_dir or notebooks_dir()),
                         field=None if notebook_dir is None else "--notebook-dir")
    by_name = {p.stem: p for p in all_nbs}
    if notebooks:
        chosen = []
        for n in dict.fromkeys(notebooks):  # a name given twice runs once
            stem = Path(n).stem
            if stem not in by_name:
                from .report_params import is_scratch_notebook
                why = (" (render skips scratch notebooks: Untitled*, _* and .*; rename it to render it)"
                       if is_scratch_notebook(Path(f"{stem}.ipynb")) else "")
                raise InputError(f"unknown notebook {n!r}{why}{did_you_mean(stem, by_name)}; "
                                 f"available: {', '.join(by_name)}", field="--notebooks")
            if by_name[stem] not in chosen:
                chosen.append(by_name[stem])
    else:
        chosen = all_nbs

    if sites:
        for s in sites:
            if s not in pf.ids:
                where = (f"the bundled example portfolio {pf_path} (no --portfolio given: pass "
                         "--portfolio YOUR.yaml to render your own sites)" if bundled else str(pf_path))
                raise InputError(f"unknown site {s!r}{did_you_mean(s, pf.ids)}; sites in "
                                 f"{where}: {', '.join(pf.ids)}", field="--sites")
        site_list = [pf[s] for s in dict.fromkeys(sites)]
    else:
        site_list = list(pf.sites)

    declared = {nb: notebook_parameters(nb) for nb in chosen}
    scopes = {nb: notebook_scope(nb) for nb in chosen}
    peers = {nb: notebook_reads_peers(nb) for nb in chosen}
    reads_all = {nb: scopes[nb] == "portfolio" or peers[nb] for nb in chosen}
    if sites or len(bad) == len(pf.sites):  # the sites chosen (and peers read) must be good
        readers = [nb.stem for nb in chosen if reads_all[nb]]
        need = pf.sites if readers else site_list
        errors = [bad[s.id] for s in need if s.id in bad]
        if errors:
            from .site import SiteError, combine_site_errors
            e = combine_site_errors(errors, validate=str(pf_path))
            chosen_ids = {s.id for s in site_list}
            if sites and any(s.id not in chosen_ids for s in need if s.id in bad):  # say why a peer counts
                (f0, m0), *rest = e.problems
                why = f" (needed: {', '.join(readers)} read{'s' if len(readers) == 1 else ''} every site, not only --sites)"
                e = SiteError(e.file, [(f0, m0 + why), *rest], validate=str(pf_path))
            raise e
        _warn_unselected(bad, {s.id for s in site_list}, str(pf_path))
    requires = {nb: notebook_requires(nb, declared[nb]) for nb in chosen}
    rules = {nb: notebook_rules(nb, declared[nb]) for nb in chosen}
    prechecks = {nb: notebook_precheck(nb) for nb in chosen}
    # every override must be declared by at least one selected notebook
    all_declared = set().union(*[set(d) for d in declared.values()])
    for k in parameters:
        if k in ("site", "portfolio"):
            raise InputError(f"parameter {k!r} is set by dcplan render; use --sites / --portfolio",
                             field="-p")
        if k not in all_declared:
            open_ = sorted(all_declared - {"site", "portfolio"})  # those two are render's to set
            raise InputError(f"unknown parameter {k!r}{did_you_mean(k, open_)}: no selected "
                             f"notebook declares it; the selected notebooks take: {', '.join(open_)}",
                             field="-p")

    runs: list[Run] = []
    pf_file = Path(pf.source_file).resolve()
    by_site = {s.id: site_input_files(s) for s in pf.sites}
    pf_files = {f"{name}:{sid}": path for sid, files in by_site.items() for name, path in files.items()}
    for nb in chosen:
        decl = declared[nb]
        need = ["portfolio"] + (["site"] if scopes[nb] == "site" else [])
        for k in need:
            if k not in decl:
                raise InputError(f"notebook must declare parameter {k!r} in its cell tagged "
                                 f"'parameters' (declares: {', '.join(decl) or 'nothing'})", file=str(nb))
        own = {k: coerce_parameter(k, v, decl[k].get("inferred_type_name"), nb,
                                   decl[k].get("default") if decl[k].get("type_from_default") else None)
               for k, v in parameters.items() if k in decl}
        for k, v in own.items():
            if k in rules[nb]:
                check_parameter(k, v, rules[nb][k], nb)
            if k.endswith("_dir"):
                check_export_dir(k, v, nb)
        for k, d in decl.items():
            if k not in need and k not in own and str(d.get("default")).strip() == "None":
                raise InputError(f"required parameter {k!r} (default None) not given; pass -p {k} VALUE",
                                 file=str(nb))
        stands_in = {par: sec for sec, par in requires[nb] if par}  # parameter -> site section
        targets = site_list if scopes[nb] == "site" else [None]
        # checks across parameters and the site, on the values the runs would get: an InputError
        # names -p NAME and the site; a text returned says why the values, each valid in itself
        # (defaults or -p), do not apply to the site (its run is n/a, as for a missing section)
        pre_na: dict = {}
        if prechecks[nb] is not None:
            values = {k: _default_value(d) for k, d in decl.items()} | own
            for site in targets:
                why = prechecks[nb](values, site, set(own))
                if isinstance(why, str) and why and site is not None:
                    pre_na[site.id] = why
        for site in targets:
            site_dir = None if site is None or not site.source_file else Path(site.source_file).resolve().parent
            params = {"portfolio": str(pf_file),
                      **{k: resolve_file_parameter(k, v, _default_value(decl[k]), site_dir, nb, stands_in.get(k))
                         if is_file_parameter(k) else v for k, v in own.items()}}
            inputs: dict[str, Path | None] = {"notebook": nb.resolve(), "portfolio": pf_file}
            # a data file a parameter stands in for: an input only where declared, replaced when given
            data_names, data_replaced = bundled_data_inputs(MODEL_DATA_FILES, decl, params, own)
            inputs.update({f"data:{n}": data_path(n) for n in data_names if data_path(n).is_file()})
            vint: dict[str, str] = {}
            replaced: dict[str, str] = {}
            if site is not None:
                params["site"] = site.id
                own_files = site_input_files(site)
                inputs.update(own_files)
                replaced = _replaced_roles(own_files, params, own)
                vint["weather"] = site.weather.source
                vint.update(carbon_vintages(site))  # the grid carbon factor's value, basis and source (dcplan.site_carbon)
                if site.as_of is not None:  # the day the plan was made: its dates were checked as of it (plan_dates)
                    vint["plan_as_of"] = f"{site.as_of.isoformat()} (the site file's as_of)"
                if peers[nb]:  # its outputs depend on the other sites too (site_analysis ranks them)
                    inputs.update(peer_input_files(by_site, site.id))
                    vint.update({f"{PEER_PREFIX}{s.id}:weather": s.weather.source for s in pf.sites if s.id != site.id})
                    for s in (s for s in pf.sites if s.id != site.id):
                        vint.update(carbon_vintages(s, f"{PEER_PREFIX}{s.id}:"))
                folder = out / safe_slug(site.id) / safe_slug(nb.stem)
            else:
                inputs.update(pf_files)
                for s in pf.sites:
                    vint[f"weather:{s.id}"] = s.weather.source
                    vint.update(carbon_vintages(s, suffix=f":{s.id}"))
                folder = out / PORTFOLIO_DIR / safe_slug(nb.stem)
            inputs.update(_parameter_inputs(params, own))
            replaced = {**replaced, **{k: v for k, v in data_replaced.items() if k in inputs}}
            na = None if site is None else _not_applicable(site, nb, requires[nb], params) or pre_na.get(site.id)
            refused = _bad_input(site, bad, reads_all[nb], str(pf_path))
            # the sites whose time to power the run reads, and the months each has waited (dcplan.plan_dates)
            read = [] if nb.stem in NO_TIME_TO_POWER else pf.sites if site is None or peers[nb] else [site]
            runs.append(Run(notebook=nb.resolve(), site_id=None if site is None else site.id,
                            site_name=pf.name if site is None else site.name, parameters=params,
                            out_dir=folder, reports_root=out, input_files=inputs, vintages=vint,
                            portfolio_files=pf_files if site is None or peers[nb] else {},
                            portfolio_site_files=pf_files,
                            replaced_inputs=replaced, not_applicable=None if refused else na,
                            bad_input=refused, waits=tuple(tuple(w) for w in wait_fingerprint(read)),
                            notes=(getattr(pf, "description", "") if site is None else site.notes).strip()))
    check_tariff_parameters(runs)
    # the site's plausibility warnings are the reader's caveats too: recorded in each of its runs (results.json
    # warnings and the report's warnings block), issued on the console only when asked
    texts = warn_rendered_sites(pf, runs) if plausibility_warnings else site_warning_texts(pf, runs)
    return [dataclasses.replace(r, site_warnings=tuple(texts.get(r.site_id, ()))) if r.site_id is not None else r
            for r in runs]


def site_file_problems(sites) -> dict:
    """``{site id: SiteError}`` of the sites whose weather file (:func:`check_site_weather`) or
    URDB tariff file (:func:`check_site_tariffs`) is bad, or whose ``battery.target: bill`` the
    tariff cannot run (:func:`check_site_battery_bill`), or whose measured load file ``dcplan validate``
    refuses (:func:`dcplan.workload_data.check_site_data_files`), each checked on its own (a site's
    warnings are issued as it is checked)."""
    from .site import SiteError, combine_site_errors
    from .workload_data import check_site_data_files  # a measured load file dcplan validate refuses
    bad = {}
    for s in sites:
        errors = []
        for check in (check_site_weather, check_site_tariffs, check_site_battery_bill, check_site_data_files):
            try:
                check([s])
            except SiteError as e:
                errors.append(e)
        if errors:
            bad[s.id] = combine_site_errors(errors)
    return bad


def _warn_unselected(bad: dict, chosen: set, portfolio: str) -> None:
    """One warning naming the sites with bad files (``bad``: :func:`site_file_problems`) that ``--sites``
    did not select (``chosen``) and no selected notebook reads: the render goes on without them."""
    left = [sid for sid in bad if sid not in chosen]
    if left:
        import warnings

        from .errors import DcplanWarning
        first = str(bad[left[0]]).split(": ", 1)[0]
        warnings.warn(f"{_sites_text({k: bad[k] for k in left})} bad files ({first}"
                      f"{' ...' if len(left) > 1 else ''}), not selected by --sites, so not rendered; dcplan validate "
                      f"{portfolio} lists the problems", DcplanWarning, stacklevel=3)


def _bad_input(site, bad: dict, reads_all: bool, portfolio: str) -> str | None:
    """Why a run for ``site`` (None: a portfolio run) is refused as bad input (``bad``:
    :func:`site_file_problems`): its site's files are bad, or, for a notebook that reads every
    site (``reads_all``), another site's; None when it may run."""
    if site is not None and site.id in bad:
        e = bad[site.id]
    elif reads_all and bad:
        if site is not None:
            # another site's files: said in full by that site's own runs and the portfolio runs;
            # here once in short (a 23-site render printed the same 650-character error 26 times)
            it = "it" if len(bad) == 1 else "them"
            where = str(next(iter(bad.values()))).split(": ", 1)[0]  # the first bad site's file
            return (f"{where}: not run: this notebook reads every site of the portfolio, and {_sites_text(bad)} "
                    f"bad files; fix {it} or leave {it} out of the portfolio ({'its' if len(bad) == 1 else 'their'} "
                    f"own runs and the portfolio runs give the error; dcplan validate {portfolio} lists every "
                    "problem)")
        e = next(iter(bad.values()))
    else:
        return None
    others = "" if site is not None and site.id in bad and not reads_all else \
        f" (this notebook reads every site of the portfolio; sites with bad files: {', '.join(bad)})"
    return f"{e}{others}; dcplan validate {portfolio} lists every problem"


def _sites_text(bad: dict) -> str:
    ids = list(bad)
    if len(ids) == 1:
        return f"site {ids[0]!r} has"
    return f"sites {', '.join(repr(i) for i in ids)} have"


def warn_rendered_sites(pf, runs: list[Run]) -> dict[str, list[str]]:
    """Issue ``dcplan validate``'s plausibility warnings (:func:`dcplan.site_plausibility.warn_site`:
    a grid request far above or below the fleet, a fleet phase before the filing date, a unit cap
    that never binds, liquid-loop keys on an air plant) for each site of portfolio ``pf`` that
    ``runs`` render, once per site whatever the number of its notebooks: the sites of the per-site
    runs, and every site when a portfolio notebook runs (it reads them all). Warnings only: the
    render goes on (the sites' position, time zone and elevation against their weather station
    warn in :func:`check_site_weather`, for every site). Returns ``{site id: texts}`` of the sites
    checked (:func:`plan_runs` records them in each run of the site, :attr:`Run.site_warnings`)."""
    from .site_plausibility import warn_shared_names, warn_site
    warn_shared_names(pf)  # two sites of one name: the reports tell them apart by id
    ids = {r.site_id for r in runs if not r.bad_input}  # a refused run renders nothing (its error is said)
    return {site.id: warn_site(site) for site in pf.sites if None in ids or site.id in ids}


def site_warning_texts(pf, runs: list[Run]) -> dict[str, list[str]]:
    """``{site id: texts}`` of :func:`dcplan.site_plausibility.site_warnings` for each site of ``pf`` a
    per-site run of ``runs`` executes (not n/a, not refused), without issuing them (a warning the checks'
    own modelling raises is dropped: the run's notebook raises it again); a site whose checks fail on its
    input gets none (its runs give the error)."""
    import warnings

    from .errors import DcplanWarning
    from .site_plausibility import site_warnings
    ids = {r.site_id for r in runs if r.site_id is not None and not r.not_applicable and not r.bad_input}
    out = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DcplanWarning)
        for site in pf.sites:
            if site.id in ids:
                try:
                    out[site.id] = site_warnings(site)
                except InputError:
                    out[site.id] = []
    return out


def _not_applicable(site, nb: Path, requires: list, params: dict) -> str | None:
    """Why ``nb`` does not apply to ``site`` (a section it needs is missing), or None.
    A parameter given for the section stands in for it, unless its value is empty or
    :data:`SITE_SECTION_VALUE` (the site's own section, which it lacks)."""
    for sec, par in requires:
        if getattr(site, sec) is None and not (par and params.get(par) and params.get(par) != SITE_SECTION_VALUE):
            alt = f" (or pass -p {par} FILE)" if par else ""
            return f"site {site.id!r} has no {sec}: section{alt}; {nb.stem} needs it"
    return None


def _given_files(params: dict, given: dict) -> dict[str, Path]:
    """The files the ``-p`` parameters of a run name: absolute paths of existing files
    (file parameters are absolute by now; another text parameter counts if it is one)."""
    out = {}
    for k in given:
        v = params.get(k)
        if isinstance(v, str) and v and Path(v).is_absolute() and _is_file(Path(v)):
            out[k] = Path(v)
    return out


def _parameter_inputs(params: dict, given: dict) -> dict[str, Path]:
    """Input files of a run given by parameters: ``param:<name>``, and the price files a
    tariff JSON so given names (``param:<name>:prices``)."""
    inputs: dict[str, Path] = {}
    for k, f in _given_files(params, given).items():
        inputs[f"param:{k}"] = f
        if f.suffix.lower() == ".json":
            for i, side in enumerate(tariff_side_files(f)):
                inputs[f"param:{k}:prices" + (f":{i}" if i else "")] = side
    return inputs


def _replaced_roles(site_files: dict, params: dict, given: dict) -> dict[str, str]:
    """Site files a ``<role>_file`` parameter replaced: ``tariff_file`` replaces the site's
    ``tariff`` and its ``tariff_prices`` (role -> ``param:<name>``)."""
    out = {}
    for k in _given_files(params, given):
        if is_file_parameter(k) and k.endswith("_file"):
            role = k[:-len("_file")]
            for r in site_files:
                if r != "site" and (r == role or r.startswith(role + "_")):
                    out[r] = f"param:{k}"
    return out


def check_site_weather(sites, ignore_fields=(), validate: str | None = None) -> None:
    """Refuse sites whose weather file the runs could not load, before any run.

    Every site of the portfolio (a site's notebooks may compare it with the others, and the
    portfolio notebooks read them all): its weather file read and checked as the runs'
    :func:`dcplan.weather.load_site_weather` reads it (header, then every row: count, order,
    numbers, ranges), then the site against the file's station (distance, time zone,
    elevation). One :class:`~dcplan.site.SiteError` names each site file, field, weather file,
    row and line; without this, every run of such a site failed at its first cell with a
    pvlib or pandas traceback. A file that passed before, unchanged, costs a hash, not a parse
    (:mod:`dcplan.weather_check`). Problems of a field in ``ignore_fields`` are left out (a
    sweep's own overrides, e.g. ``elevation_m``). ``validate``: the portfolio file whose
    ``dcplan validate`` the one-line message points to when there is more than one problem.
    """
    from .site import SiteError, combine_site_errors
    from .weather_check import site_weather_problems
    errors = []
    for s in sites:
        problems = [(f, m) for f, m in site_weather_problems(s) if f not in ignore_fields]
        if problems:
            errors.append(SiteError(s.source_file or f"site {s.id!r} (built in code)", problems))
    if errors:
        raise combine_site_errors(errors, validate=validate)


def check_site_tariffs(sites, validate: str | None = None) -> None:
    """Refuse sites whose URDB tariff file ``dcplan validate`` finds bad, before any run.

    Every site of the portfolio (as :func:`check_site_weather`), with the checks of
    :func:`dcplan.validate._tariff_problems` (every unknown key, each item's schedules and
    charges, the site's ``label``; and :func:`dcplan.tariff_site.label_problem`: a ``tariff.label``
    missing or not a one-item file's own): one :class:`~dcplan.site.SiteError` names each site
    file, ``tariff.file`` and the tariff's own file, field and value; without this, every
    run that bills the tariff failed (exit 1) where ``dcplan validate`` says bad input
    (exit 2). A flat tariff is checked as the site loads. Each file is read once per
    render (a few ms)."""
    from .site import SiteError, combine_site_errors
    from .tariff_site import label_problem
    from .validate import _dedupe, _tariff_problems
    errors = []
    for s in sites:
        if s.tariff is None or s.tariff.is_flat or s.tariff_path is None:
            continue
        problems = [("tariff.file", p.line())  # each once, as validate lists them
                    for p in _dedupe(_tariff_problems(s.tariff_path, label=s.tariff.label))]
        lab = label_problem(s)  # no label for a file of several items, or not a one-item file's own
        if lab is not None:
            problems.append(lab)
        if problems:
            errors.append(SiteError(s.source_file or f"site {s.id!r} (built in code)", problems))
    if errors:
        raise combine_site_errors(errors, validate=validate)


def check_site_battery_bill(sites) -> None:
    """Refuse sites whose ``battery.target: bill`` ``dcplan validate`` refuses
    (:func:`dcplan.tariff_site.battery_bill_problems`: no tariff, or one the LP cannot price, e.g. a
    demand ratchet), before any run: one :class:`~dcplan.site.SiteError` naming each site file and
    ``interconnection.battery.target``; without this, every notebook that dispatches the battery
    started a kernel and failed at its fourth cell. (Run after :func:`check_site_tariffs`: a
    tariff file that does not read is that check's problem, not this one's.)"""
    from .site import SiteError, combine_site_errors
    from .tariff_site import battery_bill_problems
    errors = [SiteError(s.source_file or f"site {s.id!r} (built in code)", problems)
              for s in sites if (problems := battery_bill_problems(s))]
    if errors:
        raise combine_site_errors(errors)


#: File parameters that name a URDB tariff JSON, checked before any run (:func:`check_tariff_parameters`).
TARIFF_FILE_PARAMETERS = ("tariff_file",)


def check_tariff_parameters(runs) -> None:
    """Refuse a tariff file given by a ``-p tariff_file`` parameter that ``dcplan validate``
    finds bad (:func:`dcplan.validate._tariff_problems`, every item checked), before any
    run: an :class:`InputError` whose one line names the file, its field and value and
    ``-p tariff_file``, and how many more problems ``dcplan validate FILE`` lists."""
    from .validate import _dedupe, _tariff_problems
    seen = set()
    for run in runs:
        for name in TARIFF_FILE_PARAMETERS:
            f = run.input_files.get(f"param:{name}")
            if f is None or f in seen:
                continue
            seen.add(f)
            problems = _dedupe(_tariff_problems(Path(f)))  # each once, as validate lists them
            if problems:
                p = problems[0]
                more = (f" ({len(problems) - 1} more problem(s): dcplan validate {f})"
                        if len(problems) > 1 else "")
                raise InputError(f"{' '.join(str(p.message).split())} (the tariff given by -p {name}){more}",
                                 file=str(f), field=p.field or None)


#: Prefix of a peer's file in a per-site run's inputs (``peer:<site id>:<role>``, :func:`peer_input_files`).
PEER_PREFIX = "peer:"


def peer_input_files(by_site: dict[str, dict], own_id: str) -> dict[str, Path | None]:
    """The files of the portfolio's other sites that a per-site run reading its peers
    (:func:`dcplan.report_params.notebook_reads_peers`) depends on, for its provenance:
    ``{"peer:<site id>:<role>": path}`` for every site of ``by_site`` (``{site id:``
    :func:`site_input_files` ``}``) but ``own_id``; roles as the site's own (``site``,
    ``weather``, ``tariff``, ...)."""
    return {f"{PEER_PREFIX}{sid}:{role}": p for sid, files in by_site.items() if sid != own_id
            for role, p in files.items()}
