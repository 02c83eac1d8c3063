"""The per-token ranking's throughputs and their MLPerf scenarios.

The GB200 figure (Azure ND GB200 v6 blog, 865,000 tokens/s / 72) does not say whether it is an Offline or a
Server run; the H100 figure is MLPerf v4.1 Offline (24,528.3 / 8). The portfolio comparison per million tokens
ranked the two without saying so: its caveat and the throughput labels now do, with the size of a mismatch
(the H100's own Server result, 23,132.8 tokens/s, is 5.7 % below its Offline) against the closest per-token
ratio of two sites on different figures.
"""
from __future__ import annotations

import pandas as pd
import pytest

from dcplan.portfolio_compare import compare
from dcplan.portfolio_report import key_figures_table
from dcplan.power_tokens import SCENARIO_GAP_FRAC, THROUGHPUT_SCENARIO, scenario_caveat, scenario_label

NAMES = {"a": "Site A", "b": "Site B", "c": "Site C"}
GB, H = "gb200-gpu/llama-2-70b", "h100-sxm/llama-2-70b-offline"


def _table(cost):
    return pd.DataFrame({
        "bill_usd": [1.0e6] * 3, "usd_per_m_tokens": cost, "usd_per_gpu_h": [0.5, 0.2, 0.4],
        "throughput_key": [GB, H, H], "tokens_per_s_per_accelerator": [865000 / 72, 24528.3 / 8, 24528.3 / 8],
    }, index=pd.Index(["a", "b", "c"], name="site"))


def test_scenario_gap_is_the_h100_server_below_offline():
    # MLPerf Inference v4.1 closed, HPE Cray XD670 8 x H100: Server 23,132.8, Offline 24,528.3 tokens/s
    # (docs/reference-data.md s.8): 1 - 23,132.8 / 24,528.3 = 1 - 0.943106 = 0.056894; abs covers the 6th digit
    assert SCENARIO_GAP_FRAC == pytest.approx(0.056894, abs=1e-6)
    assert THROUGHPUT_SCENARIO == {H: "Offline", "h100-sxm/llama-2-70b-server": "Server", GB: None}
    assert scenario_label(GB) == "MLPerf scenario not stated by its source"
    assert scenario_label(H) == "MLPerf Offline" and scenario_label("parameter") == ""


def test_the_caveat_says_the_gb200_scenario_is_unknown_and_the_gap_is_far_wider():
    # A on the GB200 figure at 0.0043 USD/M tokens; B and C on the H100 Offline one at 0.0127 and 0.0217:
    # the closest pair on different figures is A/B, 0.0127 / 0.0043 = 2.953x, far more than the 5.7 %
    c = compare(_table([0.0043, 0.0127, 0.0217]), {"usd_per_m_tokens": 1.0}, "tokens")
    got = c.caveat(NAMES, "tokens")
    assert (f"the GB200 figure ({GB}) does not say its MLPerf scenario (its source, an Azure blog, names neither "
            f"Offline nor Server), while {H} is Offline") in got
    assert ("by about 5.7% (the H100's Server throughput below its Offline; the GB200's own pair is unpublished)"
            in got)
    assert got.endswith("the closest two sites on different figures differ 2.95x per million tokens (Site A 0.0043, "
                        "Site B 0.0127 USD/M tokens), more than that: the mismatch cannot reverse their per-token order")
    # per GPU-hour no tokens are counted: no scenario note
    assert "MLPerf scenario" not in compare(_table([0.0043, 0.0127, 0.0217]), {"usd_per_gpu_h": 1.0},
                                            "gpu_h").caveat(NAMES, "gpu_h")


def test_a_gap_within_the_mismatch_is_said_to_be_reversible():
    # A 0.0100 vs B 0.0104: 1.04x, inside 5.7 %: the order of A and B could flip were the scenarios matched
    got = scenario_caveat({"a": (GB, 12013.9), "b": (H, 3066.0)}, {"a": 0.0100, "b": 0.0104}, NAMES)
    assert got.endswith("differ 1.04x per million tokens (Site A 0.01, Site B 0.0104 USD/M tokens), within that: "
                        "the mismatch could reverse their per-token order")


def test_one_figure_or_one_stated_scenario_says_nothing():
    assert scenario_caveat({"a": (H, 3066.0), "b": (H, 3066.0)}, {"a": 1.0, "b": 2.0}, NAMES) == ""
    assert scenario_caveat({"a": (GB, 1.0), "b": (GB, 1.0)}, {"a": 1.0, "b": 2.0}, NAMES) == ""
    # a site file's own figure is no example: it has no scenario of dcplan's to compare
    assert scenario_caveat({"a": ("site.finance.costs.tokens_per_s_per_accelerator", 9000.0), "b": (H, 3066.0)},
                           {"a": 1.0, "b": 2.0}, NAMES) == ""


def test_the_throughput_label_names_the_scenario():
    t = _table([0.0043, 0.0127, 0.0217])
    recs = key_figures_table(t, NAMES, "electricity", lambda *a: "no figure").records
    got = {r["key"]: r["label"] for r in recs if r["key"].endswith("tokens_per_s_per_accelerator")}
    assert got["a.tokens_per_s_per_accelerator"] == (f"Site A: example throughput ({GB}; MLPerf scenario not "
                                                     "stated by its source)")
    assert got["b.tokens_per_s_per_accelerator"] == f"Site B: example throughput ({H}; MLPerf Offline)"
