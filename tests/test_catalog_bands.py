"""dcplan.catalog_bands: a catalog figure in the wrong unit under the right unit label (a tester's
``facility_usd_per_mw,11700,9300,15000,USD/MW`` moved the NPV from 51.3 M to 104.7 M USD silently)
is refused, naming file, line, key, column, value, the band and the likely slip; a maintainer's
honest update (prices x 3 or / 3) passes. Also the garbled messages of the same checks (a status
word, a ``nan`` cell, a negative price).

Every bad edit is made on a temporary copy of the bundled CSV (data/ is never edited here)."""
from __future__ import annotations

import pytest

from dcplan import catalog_checks as cc
from dcplan.catalog_bands import BANDS
from dcplan.paths import data_path

_TAIL = "(dcplan.catalog_bands; a real figure outside: widen the band there, citing its source)"


def _copy(tmp_path, name: str, old: str = "", new: str = ""):
    text = data_path(name).read_text(encoding="utf-8")
    if old:
        assert old in text, old
        text = text.replace(old, new, 1)
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def _line_of(name: str, start: str) -> int:
    lines = data_path(name).read_text(encoding="utf-8").splitlines()
    return next(i + 1 for i, ln in enumerate(lines) if ln.startswith(start))


def _problems(p) -> list[str]:
    return [ln.removeprefix(f"{p}: ") for ln in cc.check_file(p)]


# ----------------------------------------------------------- V1: figures in the wrong unit
def test_facility_cost_per_kw_under_the_usd_per_mw_label(tmp_path):
    p = _copy(tmp_path, "costs.csv", "facility_usd_per_mw,11700000,9300000,15000000,USD/MW",
              "facility_usd_per_mw,11700,9300,15000,USD/MW")
    n = _line_of("costs.csv", "facility_usd_per_mw,")
    # 9,300 / 11,700 / 15,000 USD/kW x 1,000 kW/MW = 9.3 / 11.7 / 15 M USD/MW (Cushman & Wakefield 2025)
    assert _problems(p) == [
        f"line {n}, key 'facility_usd_per_mw', low/value/high: low 9300, value 11700, high 15000 USD/MW are below "
        "the plausible band for facility_usd_per_mw, 3,000,000 to 50,000,000 USD/MW (US builds cost 9.3-15 M USD/MW "
        "(Cushman & Wakefield 2025), AI liquid-cooled 15-20 (JLL 2026; docs/reference-data.md 7"
        " (dcplan docs shows where))): a figure in the "
        "wrong unit? 9300, 11700, 15000 are USD/kW (x 1,000 = 9,300,000, 11,700,000, 15,000,000 USD/MW)?; allowed: "
        f"3,000,000 to 50,000,000 USD/MW {_TAIL}"]


def test_one_cell_per_kw(tmp_path):
    p = _copy(tmp_path, "costs.csv", "facility_usd_per_mw,11700000,", "facility_usd_per_mw,11700,")
    got = _problems(p)
    assert got[0].endswith("low/value: low 9300000 > value 11700 USD/MW (swapped?); allowed: low <= value <= high")
    assert "value: 11700 USD/MW is below the plausible band" in got[1]
    assert "11700 is USD/kW (x 1,000 = 11,700,000 USD/MW)?" in got[1]


def test_staff_cost_in_thousands(tmp_path):
    p = _copy(tmp_path, "costs.csv", "staff_usd_per_fte,120000,90000,160000,", "staff_usd_per_fte,120,90,160,")
    n = _line_of("costs.csv", "staff_usd_per_fte,")
    assert _problems(p) == [
        f"line {n}, key 'staff_usd_per_fte', low/value/high: low 90, value 120, high 160 USD/FTE-yr are below the "
        "plausible band for staff_usd_per_fte, 20,000 to 600,000 USD/FTE-yr (the row's 90-160 k USD a year "
        "estimate, 3 x either way): a figure in the wrong unit? 90, 120, 160 are in thousands (x 1,000 = 90,000, "
        f"120,000, 160,000 USD/FTE-yr)?; allowed: 20,000 to 600,000 USD/FTE-yr {_TAIL}"]


def test_chiller_cop_ten_times(tmp_path):
    p = _copy(tmp_path, "cooling_defaults.csv", "chiller_cop_rated_water,6.28,", "chiller_cop_rated_water,62.8,")
    n = _line_of("cooling_defaults.csv", "chiller_cop_rated_water,")
    assert _problems(p) == [
        f"line {n}, key 'chiller_cop_rated_water', value: 62.8 is above the plausible band for chiller_cop_rated_water, "
        "2 to 15 (water-cooled centrifugal chillers are rated COP 6-7, above 7 high-efficiency (docs/reference-data.md "
        "3c (dcplan docs shows where)); capped below 3 x by meaning): a figure in the wrong unit? 62.8 is a decimal "
        "point off (/ 10 = 6.28)?; "
        f"allowed: 2 to 15 {_TAIL}"]
    # 0.576 kW/ton is COP 3.517 / 0.576 = 6.106 (AHRI conversion kW/ton = 3.517 / COP)
    p = _copy(tmp_path, "cooling_defaults.csv", "chiller_cop_rated_water,6.28,", "chiller_cop_rated_water,0.576,")
    assert "a figure in the wrong unit? 0.576 is kW/ton (3.517 / 0.576 = 6.106), or a decimal point off (x 10 = " \
           "5.76)?" in _problems(p)[0]


def test_interconnection_in_years(tmp_path):
    p = _copy(tmp_path, "interconnection.csv", ",48,36,84,", ",4,3,7,")
    n = _line_of("interconnection.csv", "va-dominion,")
    # p90 7 is inside the band (6-240): the row is refused for p10 3 and median 4 (36 and 48 months as years)
    assert _problems(p) == [
        f"line {n}, region 'va-dominion', p10_months/median_months: p10_months 3, median_months 4 months are below "
        "the plausible band for a wait for power, 6 to 240 months (the shortest published large-load wait is 18-24 "
        "months (APS), the longest 7-10 years (Dominion, EirGrid; docs/reference-data.md 5"
        " (dcplan docs shows where)); a site's own median under "
        "6 months is warned (dcplan.site_slips)): a figure in the wrong unit? 3, 4 are years (x 12 = 36, 48 months)?; "
        f"allowed: 6 to 240 months {_TAIL}"]


def test_equipment_in_months(tmp_path):
    p = _copy(tmp_path, "equipment_lead_times.csv", "switchgear,46,47,48", "switchgear,11,11.5,12")
    n = _line_of("equipment_lead_times.csv", "switchgear,")
    # 52.1775 weeks a year / 12 = 4.348 weeks a month: 11 months = 47.83 weeks, 12 = 52.18
    assert _problems(p) == [
        f"line {n}, item 'switchgear', low_weeks/median_weeks/high_weeks: low_weeks 11, median_weeks 11.5, "
        "high_weeks 12 weeks are below the plausible band for switchgear lead times, 15 to 150 weeks (Cushman & "
        "Wakefield 2025 lead times: 46-48 weeks): a figure in the wrong unit? 11, 11.5, 12 are months (x 4.348 = "
        f"47.83, 50, 52.18 weeks)?; allowed: 15 to 150 weeks {_TAIL}"]


def test_a_new_equipment_item_has_the_generic_band(tmp_path):
    p = _copy(tmp_path, "equipment_lead_times.csv")
    p.write_text(p.read_text() + 'busway,2,3,3,"","vendor quote",2025,estimate\n')
    assert "item 'busway', low_weeks/median_weeks/high_weeks: low_weeks 2, median_weeks 3, high_weeks 3 weeks are " \
           "below the plausible band for a lead time, 4 to 520 weeks" in _problems(p)[0]


def test_units_per_rack_400(tmp_path):
    old = "hgx-b200,8-GPU HGX/DGX B200 server,server,NVIDIA,b200,8,1000,140,14.3,3.6,0.96,4,"
    p = _copy(tmp_path, "hardware.csv", old, old.replace(",0.96,4,", ",0.96,400,"))
    n = _line_of("hardware.csv", "hgx-b200,")
    assert _problems(p) == [
        f"line {n}, key 'hgx-b200', units_per_rack: 400 per rack is above the plausible band for units_per_rack, 1 to "
        "96 per rack (a 42-48U rack holds 4 DGX-class servers, 20-48 1U servers or 96 half-width nodes): a typo? "
        "400 is two digits too many (/ 100 = 4 per rack), or a digit too many (/ 10 = 40 per "
        f"rack)?; allowed: 1 to 96 per rack {_TAIL}"]


def test_units_per_rack_97_gets_no_decimal_hint(tmp_path):
    # a whole-number count: 97 / 10 = 9.7 and 97 / 100 = 0.97 are no counts, so no slip is suggested
    old = "hgx-b200,8-GPU HGX/DGX B200 server,server,NVIDIA,b200,8,1000,140,14.3,3.6,0.96,4,"
    p = _copy(tmp_path, "hardware.csv", old, old.replace(",0.96,4,", ",0.96,97,"))
    n = _line_of("hardware.csv", "hgx-b200,")
    assert _problems(p) == [
        f"line {n}, key 'hgx-b200', units_per_rack: 97 per rack is above the plausible band for units_per_rack, 1 to "
        "96 per rack (a 42-48U rack holds 4 DGX-class servers, 20-48 1U servers or 96 half-width nodes): a typo?; "
        f"allowed: 1 to 96 per rack {_TAIL}"]


def test_accelerator_tdp_in_kw(tmp_path):
    old = "h100-sxm,NVIDIA H100 SXM5 80GB (GPU only),accelerator,NVIDIA,h100-sxm,1,700,70,"
    p = _copy(tmp_path, "hardware.csv", old, old.replace(",1,700,70,", ",1,0.7,70,"))
    got = _problems(p)
    assert any("accelerator_tdp_w: 0.7 W is below the plausible band for accelerator_tdp_w, 50 to 5,000 W" in g
               and "0.7 is kW (x 1,000 = 700 W)?" in g for g in got), got


def test_wrong_unit_label_is_one_problem_not_two(tmp_path):
    # the label says USD/kW: the unit problem says convert; the band (in USD/MW) is not applied on top
    p = _copy(tmp_path, "costs.csv", "facility_usd_per_mw,11700000,9300000,15000000,USD/MW",
              "facility_usd_per_mw,11700,9300,15000,USD/kW")
    assert len(_problems(p)) == 1 and "unit: 'USD/kW' is not the unit" in _problems(p)[0]


# ------------------------------------------------------- honest updates pass, slips do not
def _scaled_costs(tmp_path, factor: float):
    """A costs.csv copy with low, value and high of every row in USD (a price) times ``factor``."""
    out, keys = [], []
    for ln in data_path("costs.csv").read_text(encoding="utf-8").splitlines(True):
        cells = ln.split(",", 4)
        if len(cells) == 5 and cells[4].startswith("USD/"):
            cells[1:4] = [f"{float(c) * factor:.10g}" for c in cells[1:4]]
            keys.append(cells[0])
        out.append(",".join(cells))
    p = tmp_path / "costs.csv"
    p.write_text("".join(out), encoding="utf-8")
    return p, keys


@pytest.mark.parametrize("factor", [3.0, 1 / 3])
def test_prices_times_or_over_three_pass(tmp_path, factor):
    p, keys = _scaled_costs(tmp_path, factor)
    # every USD row of the bundled file: the server price ... water, sewer, revenue (13 since the liquid-cooled
    # facility cost row facility_liquid_usd_per_mw, 2026; was 12; 14 since sewer_usd_per_m3 split off water's, 2026-12)
    assert len(keys) == 14
    assert _problems(p) == []


@pytest.mark.parametrize("factor", [1000.0, 1 / 1000])
def test_prices_a_thousand_times_off_are_refused(tmp_path, factor):
    p, keys = _scaled_costs(tmp_path, factor)
    got = _problems(p)
    flagged = {g.split("key '")[1].split("'")[0] for g in got if "plausible band" in g}
    # pv O&M (0-40 USD/kWdc-yr) holds 0, so a figure 1,000 x smaller is still inside its band; a revenue
    # 1,000 x larger (4,916 USD/GPU-h) is above what the model allows (100), said so instead
    assert flagged == set(keys) - {"pv_om_usd_per_kw_dc_year" if factor < 1 else "revenue_usd_per_gpu_h"}
    if factor > 1:
        assert any("value: 4916 is outside what the model allows for revenue_usd_per_gpu_h" in g for g in got)


def test_bundled_figures_are_inside_their_bands():
    assert cc.check_all() == []


def test_every_band_is_for_a_key_or_column_the_checks_read_and_says_why():
    from dcplan.thermal_plant_params import _OVERRIDE_BOUNDS
    assert set(BANDS["costs.csv"]) == set(cc.COST_UNITS)
    assert set(BANDS["cooling_defaults.csv"]) <= set(_OVERRIDE_BOUNDS)
    assert set(BANDS["hardware.csv"]) <= set(cc._HW_COLUMNS)
    items = set(cc.read_catalog(data_path("equipment_lead_times.csv"))["item"])
    assert set(BANDS["equipment_lead_times.csv"]) == items | {"*"}
    for table in BANDS.values():
        for band in table.values():
            assert band.lo < band.hi and len(band.why) > 20


# ------------------------------------------------------------------ V10: garbled messages
def test_status_a_single_unknown_word(tmp_path):
    # (the rows end in costs.csv's optional range_status, blank here: the trailing comma, added with the column)
    p = _copy(tmp_path, "costs.csv", ',"estimate; no source found",2025,estimate,\nstaff_usd',
              ',"estimate; no source found",2025,guess,\nstaff_usd')
    n = _line_of("costs.csv", "staff_fte_per_mw,")
    assert _problems(p) == [f"line {n}, key 'staff_fte_per_mw', status: 'guess' is not a status word; allowed: "
                            "primary, secondary, unverified, derived, estimate"]


def test_status_without_a_status_word(tmp_path):
    p = _copy(tmp_path, "hardware.csv", "max secondary; idle unverified", "max; idle")
    assert _problems(p)[0].endswith("status: 'max; idle' has no status word; allowed: primary, secondary, "
                                    "unverified, derived, estimate (per figure, e.g. 'max secondary; idle "
                                    "estimate')")


def test_nan_in_a_cell_is_not_called_blank(tmp_path):
    p = _copy(tmp_path, "costs.csv", "staff_usd_per_fte,120000,90000,160000,", "staff_usd_per_fte,1.2e5,nan,inf,")
    n = _line_of("costs.csv", "staff_usd_per_fte,")
    assert _problems(p) == [
        f"line {n}, key 'staff_usd_per_fte', low: 'nan' is not a finite number; allowed: a finite number in "
        "USD/FTE-yr",
        f"line {n}, key 'staff_usd_per_fte', high: inf is not a finite number; allowed: a finite number in "
        "USD/FTE-yr"]
    p = _copy(tmp_path, "costs.csv", "staff_usd_per_fte,120000,90000,", "staff_usd_per_fte,120000,N/A,")
    assert _problems(p) == [
        f"line {n}, key 'staff_usd_per_fte', low: 'N/A' is not a number; allowed: a plain number in USD/FTE-yr, "
        "without a unit, thousands separator or decimal comma in the cell (11700000, not 11.7M or 11,700,000; "
        "14.5, not 14.5kW)"]


def test_negative_revenue_is_told_it_is_below(tmp_path):
    p = _copy(tmp_path, "costs.csv", "revenue_usd_per_gpu_h,4.916,1.99,", "revenue_usd_per_gpu_h,-4.916,-5,")
    n = _line_of("costs.csv", "revenue_usd_per_gpu_h,")
    assert _problems(p) == [
        f"line {n}, key 'revenue_usd_per_gpu_h', {c}: {v} is below what the model allows for revenue_usd_per_gpu_h, "
        "at least 0; allowed: a price of one GPU for one hour in [0, 100] USD/GPU-h (rentals are about 1-10 "
        "USD/GPU-h)" for c, v in (("low", "-5"), ("value", "-4.916"))]
