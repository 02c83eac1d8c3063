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
