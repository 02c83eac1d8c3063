"""An air-cooled compute rack at 60 kW or more is refused wherever a site meets an air plant: when the site
file is loaded (so ``dcplan render`` refuses it up front as bad input, exit 2, not as a failed run), when a
reference air plant replaces a liquid site's plant (``pipeline.with_reference_plant``), and the portfolio
sweep gives such a fleet no air case. hgx-b200 is 14.3 kW a server (data/hardware.csv): 5 a rack is
5 x 14.3 = 71.5 kW, 8 a rack 114.4 kW; 4 (57.2 kW) is the most below 60 kW."""
from __future__ import annotations

import pytest
import yaml

from conftest import bundled_site_copy
from dcplan.cli import main
from dcplan.errors import InputError
from dcplan.site import SiteError, load_site

PHASE = {"hardware": "hgx-b200", "count": 384, "start": "2026-10-01", "label": "Hall 1"}


def test_loading_an_air_site_with_a_71_kw_rack_names_the_field_and_the_largest_layout(tmp_path):
    f = bundled_site_copy(tmp_path, "phoenix-az", "phx5", fleet={"phases": [{**PHASE, "units_per_rack": 5}]})
    with pytest.raises(SiteError) as e:
        load_site(f)
    text = str(e.value)
    assert "fleet.phases[0].units_per_rack" in text and "71.5 kW per compute rack" in text
    assert "allowed: units_per_rack: 4 or fewer (4 x 14.3 = 57.2 kW" in text
    # 4 a rack loads (validate and render warn above 40.8 kW; not refused)
    assert load_site(bundled_site_copy(tmp_path, "phoenix-az", "phx4",
                                       fleet={"phases": [{**PHASE, "units_per_rack": 4}]})).fleet.phases[0].units_per_rack == 4


def test_render_refuses_it_up_front_as_bad_input(tmp_path, capsys):
    bundled_site_copy(tmp_path, "phoenix-az", "phx8", fleet={"phases": [{**PHASE, "units_per_rack": 8}]})
    pf = tmp_path / "pf.yaml"
    pf.write_text(yaml.safe_dump({"name": "one", "sites": ["phx8.yaml"]}))
    assert main(["render", "--portfolio", str(pf), "--notebooks", "site_climate", "--out", str(tmp_path / "r"),
                 "-q"]) == 2
    err = capsys.readouterr().err
    assert "114.4 kW per compute rack" in err
    assert not (tmp_path / "r" / "phx8").exists()


def test_an_air_reference_plant_refuses_a_liquid_sites_dense_racks_and_the_sweep_gives_them_no_air_case(tmp_path):
    from dcplan import pipeline
    from dcplan.rack_density import air_rack_errors
    f = bundled_site_copy(tmp_path, "phoenix-az", "phx-liq", fleet={"phases": [{**PHASE, "units_per_rack": 8}]},
                          cooling={"type": "liquid", "liquid_class": "W32"})
    site = load_site(f)
    assert air_rack_errors(site) == []  # liquid-cooled: 114.4 kW racks are fine
    assert air_rack_errors(site, as_air=True)[0][0] == "fleet.phases[0].units_per_rack"
    with pytest.raises(InputError, match=r"reference plant 'air' cannot cool its fleet \(fleet.phases\[0\]"
                                         r".units_per_rack: 8 x hgx-b200 per rack is 114.4 kW"):
        pipeline.with_reference_plant(site, "air")
    # the sweep notebook's rule (tools/build_portfolio_sweep.py) puts such a site among the liquid-only fleets
    src = (pytest.importorskip("pathlib").Path(__file__).resolve().parent.parent / "notebooks"
           / "portfolio_sweep.ipynb").read_text()
    assert "liquid_only_phases(s) or air_rack_errors(s, as_air=True)" in src
