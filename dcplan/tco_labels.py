"""Reader's labels and units of the TCO figures (:func:`dcplan.tco.run_tco`'s summary and
:func:`dcplan.tco.metrics`), shared by the report, the tornado, the Monte Carlo and the
finance export so each says what it measures in the same words. Re-exported by
:mod:`dcplan.tco`.
"""
from __future__ import annotations

import math
import re
import textwrap

__all__ = ["SUMMARY_LABELS", "LINE_LABELS", "line_label", "input_label", "tornado_tick", "CATEGORY_LABELS",
           "category_label", "GRID_DELAY_P50_LABELS",
           "METRIC_UNITS", "summary_unit", "summary_label", "plain_number", "case_on_time_label", "IDLE_CAPITAL_LABEL", "idle_capital_label"]

#: Reader's name of each cost category (:data:`dcplan.tco.CATEGORIES`): the shares chart's ticks, the shares
#: printed beside it and the ``share_<category>_frac`` summary labels (:data:`SUMMARY_LABELS`) say it so.
CATEGORY_LABELS: dict[str, str] = {
    "it_hardware": "IT hardware",
    "power_and_cooling": "power and cooling",
    "building": "building",
    "operations": "operations",
}


def category_label(key: str) -> str:
    """The reader's name of cost category ``key`` (:data:`CATEGORY_LABELS`), else ``key`` with spaces.

    >>> category_label("power_and_cooling"), category_label("land_lease")
    ('power and cooling', 'land lease')
    """
    return CATEGORY_LABELS.get(key, key.replace("_", " "))


#: Reader's label of each :func:`dcplan.tco.run_tco` summary figure (reports and exports).
SUMMARY_LABELS: dict[str, str] = {
    "npv_usd": "NPV after tax (monthly cash flows, discounted at the end of each month)",
    "residual_sale_pv_usd": ("Residual sale at the horizon, present value (every asset sold at its residual value, "
                             "less the tax on the gain, paid over the last year's months as that year's tax is): "
                             "the part of the NPV that is this assumed sale"),
    "npv_without_residual_sale_usd": ("NPV after tax without the residual sale at the horizon (the cash flows the "
                                      "paybacks use)"),
    "irr_frac": ("IRR after tax (annual effective rate of the monthly cash flows, the residual sale at the horizon "
                 "included; with several roots, the one where NPV falls through zero as the rate rises)"),
    "payback_years": ("Payback (undiscounted, from project start, of the cash flows before the residual sale at the "
                      "horizon; when the cumulative cash flow turns positive for good: an IT refresh can take it "
                      "below zero again after an earlier break-even)"),
    "discounted_payback_years": ("Payback (discounted, from project start, of the cash flows before the residual "
                                 "sale at the horizon; when the cumulative discounted cash flow turns positive for "
                                 "good)"),
    "tco_usd": "Total cost of ownership, nominal (capex + opex - residual)",
    "tco_pv_usd": "TCO, present value (monthly, end of month)",
    "usd_per_gpu_hour": "Levelized total cost per GPU-hour sold",
    "usd_per_mwh_it": "Levelized total cost per MWh of IT energy (all costs, not only electricity)",
    "usd_per_million_tokens": "Levelized total cost per million tokens",
    "tokens_per_j_it": "Tokens per joule of IT energy (tokens/s per W)",
    "tokens_per_j_facility": "Tokens per joule of facility energy",
    "electricity_typical_year_usd": ("Electricity bill of the typical year at the tariff's own prices (those of its "
                                     "price date, before escalation; new PV), the whole fleet all year: not the bill "
                                     "of a project year"),
    "electricity_first_operating_year_usd": ("Electricity bill of the first 12 months of operations (from "
                                             "operations_start_month), as the cash flows pay it: escalated from the "
                                             "tariff's price date, at the fleet's operating share"),
    "electricity_usd_per_mwh_facility": ("Electricity bill per MWh of facility energy (typical year at the tariff's "
                                         "own prices, before escalation)"),
    "capex_initial_usd": ("Capex before refreshes, over the horizon: facility + the first purchase of every IT "
                          "tranche, whenever bought (nominal; not an up-front figure when the fleet is phased)"),
    "utilization_frac": "GPU utilization (revenue and output)",
    "operations_start_month": "Operations start: the first month a GPU operates (months after project start, "
                              "0 = its first month: the Monthly sheet's month number less 1; revenue and "
                              "operations staff from it)",
    "waiting_for_power_gpu_months": "GPU-months installed but waiting for grid power",
    "discount_rate_frac": ("Discount rate (nominal, after tax, annual effective; month m discounted by "
                           "(1 + rate)^(-m/12))"),
    **{f"share_{c}_frac": f"Cost share: {name}" for c, name in CATEGORY_LABELS.items()},
}

#: Reader's name of each cost line of the cash flows (:data:`dcplan.tco_cashflows.LINES` with a cost category, and
#: the residual value netted off them), as the cost waterfall's tick labels show them; a key without one is shown
#: as itself (:func:`line_label`). The export's CashFlow and Monthly sheets keep the keys: formulas name them.
LINE_LABELS: dict[str, str] = {
    "capex_it_usd": "capex: IT hardware",
    "capex_facility_shell_usd": "capex: facility shell",
    "capex_facility_electrical_usd": "capex: facility electrical",
    "capex_facility_mechanical_usd": "capex: facility mechanical",
    "capex_interconnection_usd": "capex: grid interconnection",
    "capex_pv_usd": "capex: on-site PV",
    "capex_battery_usd": "capex: battery",
    "opex_electricity_usd": "opex: electricity",
    "opex_maintenance_it_usd": "opex: IT maintenance and support",
    "opex_maintenance_facility_usd": "opex: facility, interconnection and battery O&M",
    "opex_maintenance_pv_usd": "opex: PV O&M",
    "opex_staff_usd": "opex: staff",
    "opex_network_usd": "opex: network (WAN, cross-connects)",
    "opex_water_usd": "opex: water",
    "opex_sewer_usd": "opex: sewer",
    "opex_insurance_usd": "opex: insurance",
    "opex_property_tax_usd": "opex: property tax",
    "residual_value_usd": "residual value at the horizon",
}


def line_label(key: str) -> str:
    """The reader's name of cash-flow line ``key`` (:data:`LINE_LABELS`), else ``key`` without ``_usd``.

    >>> line_label("opex_maintenance_it_usd"), line_label("capex_other_usd")
    ('opex: IT maintenance and support', 'capex_other')
    """
    return LINE_LABELS.get(key, key.removesuffix("_usd"))


def input_label(key: str, unit: str = "", width: int | None = None) -> str:
    """The reader's name of TCO input ``key`` (a :meth:`dcplan.tco.TcoInputs.params` key, as the tornado's
    ``input`` column names it) with its ``unit`` in brackets: the words the export's Assumptions sheet describes a
    given value with (:data:`dcplan.tco_cost_table.COST_QUANTITIES`; the utilization's from
    :data:`SUMMARY_LABELS`) up to their first parenthesis or semicolon; else ``key`` itself. ``width``: wrapped
    to lines of at most that many characters (a chart's tick label).

    >>> input_label("revenue_usd_per_gpu_h", "USD/GPU-h")
    'price per GPU-hour sold [USD/GPU-h]'
    >>> input_label("it_refresh_years", "yr"), input_label("utilization_frac", "frac"), input_label("x_usd")
    ('IT refresh cycle [yr]', 'GPU utilization [frac]', 'x_usd')
    """
    from .tco_cost_table import COST_QUANTITIES  # (dcplan.tco_cost_table reads data/: this module stays light)
    what = COST_QUANTITIES.get(key) or SUMMARY_LABELS.get(key)
    name = re.split(r" \(|; ", what, maxsplit=1)[0] if what else key
    text = f"{name} [{unit}]" if unit else name
    return textwrap.fill(text, width, break_long_words=False, break_on_hyphens=False) if width else text


def tornado_tick(key: str, unit: str, low: float, high: float, base: float, width: int | None = 45) -> str:
    """A tornado bar's tick: the input's name and unit (:func:`input_label`) and the values it swings between,
    ``low`` (the "input low" bar) and ``high``, with its ``base``, as :func:`plain_number` shows them to 4
    significant digits. The ticks named the input only, so the chart's widest bar (the price per GPU-hour,
    590.9 M USD at Chicago) did not say over which prices it swung; the range and source stayed in the table
    below the chart (:func:`dcplan.tco_tornado_table.tornado_sources_table`).

    >>> tornado_tick("revenue_usd_per_gpu_h", "USD/GPU-h", 2.189161920260374, 7.6785679414157855, 5.408, width=None)
    'price per GPU-hour sold [USD/GPU-h]: 2.189 to 7.679 (base 5.408)'
    >>> tornado_tick("server_usd_per_accelerator", "USD/accelerator", 24875.0, 39625.0, 33750.0, width=None)
    'GPU server cost per accelerator [USD/accelerator]: 24,875 to 39,625 (base 33,750)'
    """
    def num(x):
        x = float(x)
        return f"{x:,.0f}" if abs(x) >= 1000 else plain_number(float(f"{x:.4g}"), sig=4)
    text = f"{input_label(key, unit)}: {num(low)} to {num(high)} (base {num(base)})"
    return textwrap.fill(text, width, break_long_words=False, break_on_hyphens=False) if width else text


#: Labels of the figures of the case at the site's median grid delay that the tco notebook publishes beside
#: ``npv_grid_delay_p50_usd`` (results.json and the export's Summary), as :data:`SUMMARY_LABELS` labels the
#: report's own case.
GRID_DELAY_P50_LABELS: dict[str, str] = {
    "residual_sale_pv_grid_delay_p50_usd": ("Residual sale at the horizon, present value, at the site's median grid "
                                            "delay: the part of that case's NPV that is this assumed sale"),
    "npv_without_residual_sale_grid_delay_p50_usd": ("NPV after tax at the site's median grid delay without the "
                                                     "residual sale at the horizon"),
}

#: Unit of each :func:`dcplan.tco.metrics` key (tornado, Monte Carlo and the export say what they measure).
METRIC_UNITS = {"npv_usd": "USD", "tco_usd": "USD", "tco_pv_usd": "USD", "usd_per_gpu_hour": "USD/GPU-h",
                "usd_per_mwh_it": "USD/MWh", "usd_per_million_tokens": "USD/M tokens"}


def summary_unit(key: str) -> str:
    """Unit of a :func:`dcplan.tco.run_tco` summary key (or a :func:`dcplan.tco.metrics` key),
    from its suffix; months are ``months`` whatever the count, as the Assumptions table and the grid
    delay say them (the report read "12 month" beside "18 months")."""
    if key in METRIC_UNITS:
        return METRIC_UNITS[key]
    return ("USD" if key.endswith("_usd") else "frac" if key.endswith("_frac") else
            "yr" if key.endswith("_years") else "USD/MWh" if "per_mwh" in key else
            "tokens/J" if key.startswith("tokens_per_j") else "months" if key.endswith("_month") else
            "GPU-months" if key.endswith("_gpu_months") else "")


def summary_label(key: str, summary: dict | None = None, *, scenario: str | None = None,
                  calendar_months=None, delay_months: float | None = None) -> str:
    """The label of a summary figure of one run: :data:`SUMMARY_LABELS`, with what that run's figure
    depends on. The one source of these labels: the tco notebook publishes them (results.json, the HTML
    report) and the finance export's Summary sheet writes them, so the three read alike.

    ``npv_usd``: with a ``scenario``, that it is the deterministic case of that scenario, with its grid
    delay (``delay_months``, the whole months the run used, when given; "the planned energization dates"
    for a scenario that takes no delay percentile), and the date it is valued at, the start of the project's
    first month (``calendar_months[0]``; "the project start" for an undated case);
    ``usd_per_gpu_hour``: the utilization (``summary["utilization_frac"]``). Other keys: their label.

    >>> summary_label("usd_per_gpu_hour", {"utilization_frac": 0.6})
    'Levelized total cost per GPU-hour sold at 60% utilization'
    >>> summary_label("npv_usd", scenario="low-price", calendar_months=["2025-10"])[:55]
    'NPV after tax, deterministic case (scenario low-price; '
    >>> summary_label("npv_usd", scenario="base", delay_months=0, calendar_months=["2025-10"])[:95]
    'NPV after tax, deterministic case (scenario base: grid delay 0 months, the planned energization'
    """
    label = SUMMARY_LABELS.get(key, "")
    if key == "npv_usd":
        when = "valued at the project start" + ("" if calendar_months is None or not len(calendar_months) else
                                                f", {calendar_months[0]}")
        if not scenario:
            return label[:-1] + "; " + when + ")"
        from .tco_inputs import SCENARIOS  # (dcplan.tco_inputs imports dcplan.tco, which imports this module)
        case = f"scenario {scenario}"
        if delay_months is not None:
            planned = scenario in SCENARIOS and SCENARIOS[scenario]["delay_quantile"] is None
            case += f": grid delay {float(delay_months):.0f} months" + (", the planned energization dates"
                                                                          if planned else "")
        head, rest = label.split(" (", 1)   # "NPV after tax", "monthly cash flows, ...)"
        return f"{head}, deterministic case ({case}; {rest[:-1]}; {when})"
    if key == "usd_per_gpu_hour" and summary is not None and summary.get("utilization_frac") is not None:
        return f"{label} at {summary['utilization_frac']:.0%} utilization"
    return label


def case_on_time_label(delay_months: float, on_time_frac: float) -> str:
    """The label of ``npv_case_grid_on_time_frac``: the chance the grid model gives power by the dates the case's
    ``npv_usd`` takes (``delay_months``, the whole months it runs; ``on_time_frac``, the share,
    :func:`dcplan.tco_delay.later_than_case_frac`'s complement), in words (:func:`dcplan.tco_delay.share_words`).
    At 0 months (the planned dates) it adds why it can be slightly above the interconnection report's
    ``p_on_time_frac`` for the same event (:data:`dcplan.prob_display.ON_TIME_DIFFERENCE_NOTE`).

    >>> case_on_time_label(0, 1.1e-16)[:96]
    'Chance the grid model gives power by the dates npv_usd takes (0 months of grid delay): less than'
    >>> "half a day" in case_on_time_label(0, 0.0044), "half a day" in case_on_time_label(20, 0.5)
    (True, False)
    """
    from .prob_display import ON_TIME_DIFFERENCE_NOTE
    from .tco_delay import share_words  # (dcplan.tco_delay imports dcplan.tco, which imports this module)
    on, late = float(on_time_frac), 1.0 - float(on_time_frac)
    text = (f"Chance the grid model gives power by the dates npv_usd takes ({float(delay_months):.0f} months of grid "
            f"delay): {share_words(on)}, later in {share_words(late)} of its outcomes (dcplan.grid's time to power, in "
            "whole months as the case runs its delay); npv_grid_delay_p50_usd is the NPV at the median delay")
    return text + (f". {ON_TIME_DIFFERENCE_NOTE}" if float(delay_months) == 0 else "")


#: The interconnection notebook's ``capex_usd_per_gpu``: what the idle capital of an unpowered GPU counts.
IDLE_CAPITAL_LABEL = ("Idle capital per unpowered GPU: IT (server, network and storage per accelerator) plus the "
                      "facility build cost per MW of critical IT, per GPU; leaves out the interconnection, PV and "
                      "battery capex (the tco notebook's capex_initial_usd / GPUs counts them)")


def idle_capital_label(site, inputs, *, server_price_given: bool = False) -> str:
    """The label of the interconnection notebook's ``capex_usd_per_gpu`` (:data:`IDLE_CAPITAL_LABEL`), naming, as
    the tco notebook's ``price_note`` does (:func:`dcplan.tco_inputs.price_note`), every IT price per accelerator it
    counts that is the H100 figure of ``data/costs.csv`` standing in for the fleet's other accelerators: the
    server, back-end fabric and storage prices, each unless the site set its own
    (:func:`dcplan.tco_stand_in.stand_in_prices`, the one rule for both).

    ``inputs``: the site's :class:`~dcplan.tco.TcoInputs` (the TCO's prices, the site's overrides applied);
    ``server_price_given``: the notebook's ``server_usd_per_gpu`` parameter replaced the TCO's IT prices (all
    three). The interconnection label of the price per GPU-hour said its H100 figure stood in for ``hgx-b200``,
    but the idle capital beside it, 41,750 of its 63,788 USD per GPU that H100 server, network and storage
    figure, did not (a finance reviewer's tie-out of the two notebooks at phoenix-az); it then named the server
    price alone, 33,750 of the 41,750.
    """
    if server_price_given:
        return IDLE_CAPITAL_LABEL
    from .tco_stand_in import IT_PRICE_KEYS, stand_in_price_words, stand_in_prices
    parts = stand_in_prices(site, inputs.costs, inputs.sources, IT_PRICE_KEYS)
    if not parts:
        return IDLE_CAPITAL_LABEL
    acc = next(iter(parts.values()))[1]
    names, values, keys, many = stand_in_price_words(parts, inputs.params())
    return (f"{IDLE_CAPITAL_LABEL}; its {names} {'are the H100 figures' if many else 'is the H100 figure'} of "
            f"data/costs.csv ({values} per accelerator) standing in for {', '.join(sorted(acc.values()))} (no "
            f"sourced price of its own is bundled: an illustration; the tco notebook's price_note; {keys} "
            f"{'set quotes' if many else 'sets a quote'})")


def plain_number(v, sig: int = 6, max_decimals: int = 12) -> str:
    """A number as a reader's table shows it: thousands separators, never e-notation, at least
    ``sig`` significant digits (a large number shows all its whole digits), trailing zeros dropped.
    Text and None are returned as text; NaN and inf as ``nan`` and ``inf``.

    >>> plain_number(11_734_567.8), plain_number(4.916), plain_number(0.08), plain_number(1.5e-7)
    ('11,734,568', '4.916', '0.08', '0.00000015')
    >>> plain_number(-2500.0), plain_number(0), plain_number(0.333333333)
    ('-2,500', '0', '0.333333')
    """
    if isinstance(v, bool) or not isinstance(v, (int, float)) and not hasattr(v, "__float__"):
        return str(v)
    x = float(v)
    if not math.isfinite(x):
        return str(x)
    if x == 0.0:
        return "0"
    d = min(max(sig - 1 - math.floor(math.log10(abs(x))), 0), max_decimals)
    out = f"{x:,.{d}f}"
    if "." in out:
        out = out.rstrip("0").rstrip(".")
    return "0" if out in ("-0", "") else out
