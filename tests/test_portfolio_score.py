"""dcplan.portfolio_score against hand-computed scores."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from dcplan.errors import InputError
from dcplan.portfolio_score import weighted_score


def _table():
    return pd.DataFrame({"cost": [1.0, 3.0, 2.0], "ttp": [30.0, 10.0, 20.0]}, index=["a", "b", "c"])


def test_hand_computed_scores():
    # cost scaled: a 0, b 1, c 0.5; ttp scaled: a 1, b 0, c 0.5; weights 3:1 -> /4
    s = weighted_score(_table(), {"cost": 3.0, "ttp": 1.0})
    assert s.score.to_dict() == pytest.approx({"a": 0.25, "b": 0.75, "c": 0.5})
    assert list(s.score.index) == ["a", "c", "b"] and s.unscored == {}


def test_one_site_or_all_tied_scores_zero():
    """A one-site portfolio crashed the notebook (every column tied: all-scalar DataFrame)."""
    one = weighted_score(_table().loc[["a"]], {"cost": 1.0, "ttp": 1.0})
    assert one.score.to_dict() == {"a": 0.0}
    tied = pd.DataFrame({"cost": [2.0, 2.0]}, index=["x", "y"])
    assert weighted_score(tied, {"cost": 1.0}).score.to_dict() == {"x": 0.0, "y": 0.0}


def test_a_site_without_a_criterion_is_unscored_and_out_of_the_ranges():
    """A site with no tariff (no cost) used to stretch the others' ranges while unscored."""
    t = _table()
    t.loc["d"] = [np.nan, 0.0]  # would be best on ttp and widen its range
    s = weighted_score(t, {"cost": 3.0, "ttp": 1.0})
    assert s.unscored == {"d": "no cost"}
    assert s.score.to_dict() == pytest.approx({"a": 0.25, "b": 0.75, "c": 0.5})  # as without d
    # a criterion of weight 0 is not needed
    assert weighted_score(t, {"cost": 0.0, "ttp": 1.0}).unscored == {}


@pytest.mark.parametrize("w, field", [({"cost": -1.0, "ttp": 2.0}, "cost"), ({"cost": float("nan")}, "cost"),
                                      ({"cost": 0.0, "ttp": 0.0}, "weights"), ({"price": 1.0}, "price")])
def test_bad_weights_are_input_errors(w, field):
    with pytest.raises(InputError) as e:
        weighted_score(_table(), w)
    assert e.value.field == field


def test_unit_figures_over_the_years_own_hours():
    """Per installed GPU-hour and per million tokens, over the hours of each site's weather year
    (the notebooks divided by n_accelerators * 8760 whatever the year: 0.27 % high in a leap year)."""
    from dcplan.portfolio_score import unit_figures
    t = pd.DataFrame({"n_accelerators": [100, 100, 0, 100], "hours_h": [8784.0, 8760.0, 8760.0, 8760.0],
                      "bill_usd": [878_400.0, 876_000.0, 5.0, np.nan],
                      "grid_carbon_t": [87.84, np.nan, 1.0, 87.6],
                      "utilisation_frac": [0.5, 0.5, 0.5, 0.5],
                      "tokens_per_s_per_accelerator": [1000.0, 1000.0, 1000.0, 1000.0]},
                     index=["leap", "common", "no_gpus", "no_tariff"])
    u = unit_figures(t)
    # leap: 100 GPUs x 366 d x 24 h = 878,400 GPU-h -> 1 USD/GPU-h, 87,840 kg / 878,400 = 0.1 kg/GPU-h;
    # tokens 0.5 x 1000 tokens/s x 3600 s/h x 878,400 GPU-h = 1,581,120 M -> 878,400 / 1,581,120 = 5/9 USD/M
    assert u.at["leap", "usd_per_gpu_h"] == pytest.approx(1.0, rel=1e-12)
    assert u.at["leap", "carbon_kg_per_gpu_h"] == pytest.approx(0.1, rel=1e-12)
    assert u.at["leap", "usd_per_m_tokens"] == pytest.approx(5 / 9, rel=1e-12)
    assert u.at["leap", "carbon_g_per_m_tokens"] == pytest.approx(87.84e6 / 1_581_120, rel=1e-12)  # 55.55...
    # common year: 876,000 GPU-h -> 1 USD/GPU-h as well (same cost per hour)
    assert u.at["common", "usd_per_gpu_h"] == pytest.approx(1.0, rel=1e-12)
    assert np.isnan(u.at["common", "carbon_kg_per_gpu_h"])  # no carbon figure
    # no accelerators: no figure (not inf); no tariff: no cost, carbon still there
    assert u.loc["no_gpus"].isna().all()
    assert np.isnan(u.at["no_tariff", "usd_per_m_tokens"]) and u.at["no_tariff", "carbon_kg_per_gpu_h"] == \
        pytest.approx(0.1, rel=1e-12)  # 87,600 kg / 876,000 GPU-h
    # without a throughput: the per-GPU-hour columns only; without bill_usd: NaN cost
    only = unit_figures(t[["n_accelerators", "hours_h"]])
    assert list(only.columns) == ["usd_per_gpu_h", "carbon_kg_per_gpu_h"] and only.isna().all().all()


def test_a_gb200_site_cheapest_per_token_ranks_first_on_the_token_basis():
    """GPU-hours of different generations are not comparable: a GB200 GPU draws more (a dearer
    GPU-hour) but serves ~3.9x the tokens (dcplan.power.THROUGHPUT_EXAMPLES: 865,000/72 vs
    24,528.3/8 tokens/s), so per million tokens it is the cheapest; scored per GPU-hour it came last."""
    from dcplan import power
    from dcplan.portfolio_score import unit_figures
    rate_h100 = power.THROUGHPUT_EXAMPLES["h100-sxm/llama-2-70b-offline"]
    rate_gb200 = power.THROUGHPUT_EXAMPLES["gb200-gpu/llama-2-70b"]
    assert rate_h100 == pytest.approx(24528.3 / 8) and rate_gb200 == pytest.approx(865000.0 / 72)
    t = pd.DataFrame({"n_accelerators": [1000, 1000], "hours_h": [8760.0, 8760.0],
                      "bill_usd": [1.0e6, 1.6e6],  # the GB200 hall draws (and pays) 60 % more
                      "utilisation_frac": [0.7, 0.7], "tokens_per_s_per_accelerator": [rate_h100, rate_gb200]},
                     index=["h100", "gb200"])
    t = t.join(unit_figures(t))
    # per GPU-hour: 1e6 / 8.76e6 = 0.114 vs 1.6e6 / 8.76e6 = 0.183 USD; per million tokens the GB200
    # site costs 1.6 / (12,013.9 / 3,066.04) = 0.408 of the H100 site's
    assert t.at["gb200", "usd_per_m_tokens"] / t.at["h100", "usd_per_m_tokens"] == pytest.approx(
        1.6 * (24528.3 / 8) / (865000.0 / 72), rel=1e-12)
    assert list(weighted_score(t, {"usd_per_gpu_h": 1.0}).score.index) == ["h100", "gb200"]
    assert weighted_score(t, {"usd_per_m_tokens": 1.0}).score.to_dict() == {"gb200": 0.0, "h100": 1.0}


def test_a_criterion_no_site_has_is_left_out_not_every_site():
    """No site of the portfolio has a tariff: the notebook crashed (KeyError 'bill_usd'); with the
    column all NaN every site was unscored. Now the criterion is left out and the rest are scored."""
    t = _table()
    t["cost"] = np.nan
    s = weighted_score(t, {"cost": 3.0, "ttp": 1.0})
    assert s.left_out == ["cost"] and s.unscored == {}
    # ttp alone: a 30 -> 1, b 10 -> 0, c 20 -> 0.5 (weight 1 of the 1 left)
    assert s.score.to_dict() == pytest.approx({"a": 1.0, "b": 0.0, "c": 0.5})
    t["ttp"] = np.nan
    none = weighted_score(t, {"cost": 3.0, "ttp": 1.0})
    assert none.left_out == ["cost", "ttp"] and none.score.empty and set(none.unscored) == {"a", "b", "c"}
    assert weighted_score(_table(), {"cost": 1.0}).left_out == []


# -- fleet_scale_overrides: the site_analysis notebook's fleet_scale applied to one site --------

def _site(tmp_path, phases, *, data=None, site_id="s"):
    """data/sites/phoenix-az.yaml as ``site_id`` with ``phases`` ((hardware, count) pairs) and,
    with ``data`` ("it_kw" or "utilisation_frac"), a measured profile (workload: data)."""
    import yaml
    from conftest import DATA
    from dcplan.site import load_site
    d = yaml.safe_load((DATA / "sites" / "phoenix-az.yaml").read_text())
    d["weather"]["file"] = str(DATA / d["weather"]["file"])
    d["tariff"]["file"] = str(DATA / d["tariff"]["file"])
    d["fleet"]["phases"] = [{"hardware": hw, "count": n, "start": "2026-10-01", "label": f"Hall {i + 1}"}
                            for i, (hw, n) in enumerate(phases)]
    if data is not None:
        idx = pd.date_range("2025-01-01 01:00", periods=48, freq="1h", tz="America/Phoenix")
        pd.Series(4000.0 if data == "it_kw" else 0.6, index=idx, name=data).rename_axis("timestamp") \
            .to_csv(tmp_path / f"{site_id}.csv")
        d["fleet"].update(workload="data", data_file=f"{site_id}.csv", utilisation_frac=0.6)
    d["id"] = site_id
    (tmp_path / f"{site_id}.yaml").write_text(yaml.safe_dump(d, sort_keys=False))
    return load_site(tmp_path / f"{site_id}.yaml")


def test_fleet_scale_rounds_half_up_on_the_value_given(tmp_path):
    """fleet_scale used round(): half to even (5 x 0.5 = 2.5 -> 2, 25 x 0.5 = 12.5 -> 12), and on
    the binary product (25 x 2.3 = 57.49999999999999 in floats -> 57 even with floor(x + 0.5))."""
    from dcplan.portfolio_score import fleet_scale_overrides
    s = _site(tmp_path, [("hgx-b200", 5), ("hgx-b200", 25), ("hgx-b200", 0)])
    # 5 x 0.5 = 2.5 -> 3; 25 x 0.5 = 12.5 -> 13; a phase the file leaves at 0 stays 0
    assert fleet_scale_overrides(s, 0.5) == {"fleet.phases[0].count": 3, "fleet.phases[1].count": 13,
                                             "fleet.phases[2].count": 0}
    # 5 x 2.3 = 11.5 -> 12; 25 x 2.3 = 57.5 -> 58
    assert fleet_scale_overrides(s, 2.3) == {"fleet.phases[0].count": 12, "fleet.phases[1].count": 58,
                                             "fleet.phases[2].count": 0}
    assert fleet_scale_overrides(s, 1.0) == {}


def test_fleet_scale_refuses_a_phase_rounded_to_no_units(tmp_path):
    """A 1-unit phase x 0.4 silently dropped to 0 units while another phase remained."""
    from dcplan.portfolio_score import fleet_scale_overrides
    s = _site(tmp_path, [("hgx-b200", 1), ("hgx-b200", 256)])
    # allowed range: 1 unit x 0.5 rounds up to 1; 256 x s <= 1,000,000.5 -> s <= 3,906.2519..
    # (shown rounded inward to 6 figures: 3906.25)
    with pytest.raises(InputError, match=r"^fleet_scale: 0\.4 for site 's': a phase would have no units: "
                                         r"'Hall 1' \(1 unit\) x 0\.4 rounds to 0; allowed for this site: "
                                         r"fleet_scale in \[0\.5, 3906\.25\]") as e:
        fleet_scale_overrides(s, 0.4)
    assert e.value.field == "fleet_scale"
    assert fleet_scale_overrides(s, 0.5) == {"fleet.phases[0].count": 1, "fleet.phases[1].count": 128}
    with pytest.raises(InputError, match=r"the fleet has no units: 'Hall 1' \(1 unit\) x 0\.001 rounds to 0, "
                                         r"'Hall 2' \(256 units\) x 0\.001 rounds to 0"):
        fleet_scale_overrides(s, 0.001)  # 256 x 0.001 = 0.256


def test_fleet_scale_refuses_more_units_than_a_phase_may_hold(tmp_path):
    """fleet_scale 3000 on Phoenix's 384 units failed in the fleet spec naming
    fleet.phases[0].count, not the parameter; 1e9 was not refused by the notebook's range."""
    from dcplan.portfolio_score import fleet_scale_overrides
    from dcplan.specs.fleet import MAX_UNITS_PER_PHASE
    s = _site(tmp_path, [("hgx-b200", 384)])
    assert MAX_UNITS_PER_PHASE == 1_000_000
    # 384 x 3000 = 1,152,000; the largest scale: 1,000,000.5 / 384 = 2604.1680 -> 2604.16 (inward)
    with pytest.raises(InputError, match=r"^fleet_scale: 3000 for site 's': 'Hall 1' \(384 units\) x 3000 = "
                                         r"1,152,000 units, above the 1,000,000 units a phase may hold .*"
                                         r"allowed for this site: fleet_scale in \[0\.00130209, 2604\.16\]$"):
        fleet_scale_overrides(s, 3000)
    assert fleet_scale_overrides(s, 2604.16) == {"fleet.phases[0].count": 999_997}  # 384 x 2604.16 = 999,997.44
    for bad in (0.0, -1.0, float("inf"), float("nan"), True):
        with pytest.raises(InputError, match="^fleet_scale: must be a finite number > 0"):
            fleet_scale_overrides(s, bad)


def test_fleet_scale_refuses_measured_site_power_but_scales_a_utilisation_profile(tmp_path):
    """A measured it_kw file is the site's power whatever the count (dcplan.power_fleet.fleet_it_kw
    returns it as given): x2 doubled the GPUs, not the power, and halved kWh per GPU-hour. A
    utilisation_frac file drives the hardware model per unit, so its power scales with the count."""
    from dcplan.portfolio_score import fleet_scale_overrides
    it = _site(tmp_path, [("hgx-b200", 384)], data="it_kw", site_id="it")
    with pytest.raises(InputError, match=r"^fleet_scale: 2 for site 'it': its fleet is measured site power "
                                         r"\(workload: data, it\.csv gives it_kw\), which does not scale") as e:
        fleet_scale_overrides(it, 2.0)
    assert e.value.field == "fleet_scale"
    assert fleet_scale_overrides(it, 1.0) == {}
    u = _site(tmp_path, [("hgx-b200", 384)], data="utilisation_frac", site_id="u")
    assert fleet_scale_overrides(u, 2.0) == {"fleet.phases[0].count": 768}


def test_figures_equal_but_for_float_noise_tie_and_do_not_swing_the_score():
    """Two sites whose annual PUE differs only in the 16th digit (1.179173090895796 vs 1.1791730908957954, a
    hardware planner's two identical sites) scaled to 0 and 1 on that criterion: its whole weight decided the
    ranking. Tied figures (dcplan.rank_ties) now scale to 0 for both; hand: cost 1 vs 2 -> 0 and 1, PUE 0 and 0,
    scores (0 + 0) / 2 and (1 + 0) / 2."""
    t = pd.DataFrame({"cost": [1.0, 2.0], "pue": [1.179173090895796, 1.1791730908957954]}, index=["x", "y"])
    s = weighted_score(t, {"cost": 1.0, "pue": 1.0})
    assert s.score.to_dict() == {"x": 0.0, "y": 0.5}
    assert s.scaled["pue"].tolist() == [0.0, 0.0]
