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
