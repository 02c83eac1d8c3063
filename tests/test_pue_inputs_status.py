"""The annual PUE label says what its parts rest on, and when the chiller COP cap binds.

PUE - 1 = electrical part (losses / IT energy) + cooling part (cooling / IT energy). The
electrical part comes from ELECTRICAL_STAGES' loss curves (source: dcplan.power_electrical's
DEFAULT_SOURCE, estimates; 2N UPS by default); the cooling part rests on the rated chiller COP and
estimates whose status is data/cooling_defaults.csv's status column. Statuses are read here from the
CSV with the csv module, not from the code under test.
"""
from __future__ import annotations

import csv

import pandas as pd
import pytest

from conftest import DATA
from dcplan import power_electrical
from dcplan.pue_inputs import cop_cap_clause, pue_inputs_clause

FIRST = ("Annual PUE (from the weather; facility energy = IT + electrical losses + cooling: lighting, offices and "
         "other ancillary loads are not modelled, so it reads slightly below an ISO/IEC 30134-2 PUE of all the "
         "facility's energy")


def _status(key):
    with open(DATA / "cooling_defaults.csv", newline="") as fh:
        return {r["key"]: r["status"] for r in csv.DictReader(fh)}[key]


def _frame(water=True, at_cap=(0.0, 0.0)):
    """Two hours: IT 1000 kW, losses 67 kW, cooling 117 kW = fans 58 + pumps 23 + chillers 36 -> parts 0.067
    and 0.117 (0.058, 0.023, 0.036) by hand; ``at_cap``: each hour's chiller kW at the COP cap."""
    h = pd.DataFrame({"it_kw": [1000.0, 1000.0], "electrical_losses_kw": [67.0, 67.0], "cooling_kw": [117.0, 117.0],
                      "fans_kw": [58.0, 58.0], "pumps_kw": [23.0, 23.0], "chiller_kw": [36.0, 36.0],
                      "chiller_at_cop_cap_kw": list(at_cap)})
    h.attrs["plant"] = {"type": "air", "step_h": 1.0, "chiller_design_wb_degc": 29.0 if water else None,
                        "chiller_design_db_degc": None if water else 43.0,
                        "air_heat_rejection": "tower" if water else "dry"}
    return h


def test_default_chain_and_statuses_from_the_csv():
    assert _status("chiller_cop_rated_water") == "secondary"
    assert {_status(k) for k in ("inlet_setpoint_degc", "crah_approach_k")} == {"estimate"}
    assert {_status(k) for k in ("crah_fan_kw_per_kw", "chw_pump_kw_per_kw", "cw_pump_kw_per_kw")} == {"derived"}
    assert _status("tower_fan_kw_per_kw") == "secondary"
    text = pue_inputs_clause(_frame())
    # the parts of the plant's own split, each on the figures it comes from (a verifier's finding: the clause had
    # named the rated COP and margin_frac, which barely move it, and not the fans and pumps, which carry most of it)
    assert text == ("electrical part 0.067 from loss curves of dcplan estimates after Schneider Electric WP108 "
                    "(2N UPS); cooling part 0.117: fans 0.058 on derived figures (crah_fan_kw_per_kw) and "
                    "secondary-sourced figures (tower_fan_kw_per_kw), pumps 0.023 on derived figures "
                    "(chw_pump_kw_per_kw, cw_pump_kw_per_kw), "
                    "chillers 0.036 on a secondary-sourced rated chiller COP (chiller_cop_rated_water); its water "
                    "temperatures from estimates (inlet_setpoint_degc, crah_approach_k)")
    # chillers at the cap in one of the two hours (half their energy), all of it, and 0.35 % of it
    half = pue_inputs_clause(_frame(at_cap=(36.0, 0.0)))
    assert ("chillers 0.036 at dcplan's COP cap for 50 % of their energy (below) and otherwise on a secondary-sourced "
            "rated chiller COP (chiller_cop_rated_water);") in half
    whole = pue_inputs_clause(_frame(at_cap=(36.0, 36.0)))
    assert "chillers 0.036 at dcplan's COP cap for 100 % of their energy (below);" in whole
    assert "rated chiller COP" not in whole   # it decides no hour
    assert "for <1 % of their energy" in pue_inputs_clause(_frame(at_cap=(0.252, 0.0)))  # 0.35 %, not "0 %"
    # the source text is ELECTRICAL_STAGES' own, and the 2N its UPS oversize (2.0), not typed in the module
    assert power_electrical.DEFAULT_SOURCE in text and power_electrical.ELECTRICAL_STAGES["ups"]["oversize"] == 2.0


def test_air_cooled_chiller_site_coefficients_and_overrides():
    assert _status("chiller_cop_rated_air") == "secondary"
    own = {"a": 0.01, "b": 0.0, "c": 0.01, "oversize": 1.0}
    text = pue_inputs_clause(_frame(water=False), {"type": "air", "margin_frac": 0.2}, chain=("pdu", own),
                             source="Vendor X datasheet")
    assert text.startswith("electrical part 0.067 from loss curves of dcplan estimates after Schneider Electric "
                           "WP108 and Vendor X datasheet; ")   # no named UPS: no UPS words
    assert "on a secondary-sourced rated chiller COP (chiller_cop_rated_air)" in text
    # dry coolers: their fans, no tower fans or condenser-water pumps
    assert "fans 0.058 on derived figures (crah_fan_kw_per_kw) and estimates (drycooler_fan_kw_per_kw)" in text
    assert "pumps 0.023 on derived figures (chw_pump_kw_per_kw)," in text
    # the server inlet set by the site (27 degC, the CSV's 25): the site file's, not an estimate
    own_inlet = pue_inputs_clause(_frame(), {"type": "air", "inlet_setpoint_degc": 27.0})
    assert own_inlet.endswith("its water temperatures from the site file's (inlet_setpoint_degc) and estimates "
                              "(crah_approach_k)")
    assert "(N UPS)" in pue_inputs_clause(_frame(), ups_oversize=1.0)


def test_cop_cap_clause():
    assert cop_cap_clause(0, 0.0, 12.0) == ""
    assert cop_cap_clause(1234, 0.456, 12.0) == ("the chiller COP is at dcplan's cap of 12 (an estimate) in 1,234 h "
                                                 "(46 % of chiller energy); the PUE in those hours rests on it")


@pytest.fixture(scope="module")
def phoenix():
    from conftest import published_until
    return published_until("site_analysis", '"annual_pue"', site="phoenix-az")


def test_phoenix_annual_pue_label_says_what_it_rests_on(phoenix):
    ns, got = phoenix
    value, _, label = got["annual_pue"]
    p = ns["y"].plant
    it, loss, cool = p["it_kw"].sum(), p["electrical_losses_kw"].sum(), p["cooling_kw"].sum()
    assert value == pytest.approx((it + loss + cool) / it, rel=1e-12)
    # the first clause unchanged (render's summary cuts the label there)
    assert label.startswith(FIRST + "; electrical part ")
    # the parts by hand from the site year: Phoenix 0.067 + 0.117 (PUE 1.184)
    assert f"electrical part {loss / it:.3f} from loss curves of dcplan estimates" in label
    fans, pumps, chill = (p[c].sum() / it for c in ("fans_kw", "pumps_kw", "chiller_kw"))
    assert (f"cooling part {cool / it:.3f}: fans {fans:.3f} on derived figures (crah_fan_kw_per_kw) and "
            f"secondary-sourced figures (tower_fan_kw_per_kw), pumps {pumps:.3f} on derived figures "
            f"(chw_pump_kw_per_kw, cw_pump_kw_per_kw), chillers {chill:.3f} at dcplan's COP cap for 100 % of their "
            "energy (below); its water temperatures from estimates (inlet_setpoint_degc, crah_approach_k)") in label
    assert (round(fans, 3), round(pumps, 3), round(chill, 3)) == (0.058, 0.023, 0.036)
    assert round(loss / it, 3) == 0.067 and round(cool / it, 3) == 0.117
    # the hours the air loop's 19 degC chiller runs at COP 12, counted by hand from the running COP
    n = int(((p["chiller_cop_air"] >= 12.0 - 1e-9) & (p["chiller_kw"] > 0)).sum())
    share = float(p.loc[p["chiller_cop_air"] >= 12.0 - 1e-9, "chiller_kw"].sum() / p["chiller_kw"].sum())
    # 5,064 h since a sub-zero dew point is read over water (was 5,054: ten free-cooling hours fewer, as the hourly
    # export's test_the_chillers_cop_and_their_hours_at_the_cap_are_in_the_export counts); 5,069 h since the rated
    # chiller COP 6.28 (2026-12): a smaller design condenser heat sizes a smaller tower, 5 free-cooling hours fewer
    # (3,696 -> 3,691), each a chiller hour
    assert n == 5069 and share == pytest.approx(1.0)   # every running hour: the lift never passes 15.5 K at 19 degC
    assert label.endswith(f"; the chiller COP is at dcplan's cap of 12 (an estimate) in {n:,} h "
                          f"({100 * share:.0f} % of chiller energy); the PUE in those hours rests on it)")
    assert got["chiller_cop_cap_h"][0] == n and got["chiller_cop_cap_h"][1] == "h"
    # the design hour (facility 7,275 kW: the cooling engineer found 7,386-7,461 kW with a cap of 9-10) is at the
    # cap too, and its label says so
    assert got["design_hour_pue"][2].endswith("; the chiller COP is at dcplan's cap of 12 (an estimate) in this "
                                              "hour: the PUE rests on it)")
