"""The site analysis's monthly bill chart names its charges in words (a notebook explorer read the
legend's raw column names, energy_usd, demand_usd, fixed_usd)."""
from __future__ import annotations


def test_monthly_bill_legend_names_the_charges(monkeypatch):
    from conftest import run_cells_until
    import matplotlib.pyplot as plt
    ns, shown = run_cells_until("site_analysis", "monthly bill by charge type", monkeypatch, site="research-triangle-nc")
    fig = next(f for f in shown if any("monthly bill by charge type" in a.get_title() for a in f.axes))
    ax = next(a for a in fig.axes if "monthly bill by charge type" in a.get_title())
    got = [t.get_text() for t in ax.get_legend().get_texts()]
    # Duke OPT-V TOU bills energy, demand and a fixed customer charge every month (its URDB JSON)
    m = ns["y"].bill.monthly
    want = [w for c, w in (("energy_usd", "energy charges"), ("demand_usd", "demand charges"),
                           ("fixed_usd", "fixed charges"), ("minimum_usd", "minimum-bill top-up"))
            if c in m and m[c].abs().sum() > 0]
    assert got == want and got[:3] == ["energy charges", "demand charges", "fixed charges"], got
    plt.close("all")
