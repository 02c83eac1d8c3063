"""dcplan used the three ways it is meant to be: the command line, an installed wheel, JupyterLab.

* A site whose weather file is not found stops every site's runs, also of ``--sites`` naming
  another site (the file is resolved when the portfolio loads, as each notebook loads it): exit 2,
  one line naming the YAML, the field and the name, nothing written; the README says so.
* A TCO workbook written outside ``dcplan render`` (the notebook run in JupyterLab) has no
  Provenance sheet: its About sheet says so, with dcplan's version and source digest.
* A render whose every run is bad input does not say "the other runs rendered".
"""
from __future__ import annotations

from pathlib import Path

from dcplan.cli import main
from dcplan.paths import data_dir

README = Path(__file__).resolve().parents[1] / "README.md"


def _portfolio_with_a_missing_weather_file(tmp_path: Path) -> Path:
    text = (data_dir() / "sites" / "phoenix-az.yaml").read_text(encoding="utf-8")
    (tmp_path / "sites").mkdir()
    (tmp_path / "sites" / "phoenix-az.yaml").write_text(text, encoding="utf-8")
    weather = "weather/USA_AZ_Phoenix-Sky.Harbor.Intl.AP.722780_TMY3.epw"
    assert text.count(weather) == 1
    (tmp_path / "sites" / "lost.yaml").write_text(text.replace(weather, "weather/not-copied.epw"), encoding="utf-8")
    p = tmp_path / "mine.yaml"
    p.write_text("name: mine\nsites:\n  - sites/phoenix-az.yaml\n  - sites/lost.yaml\n", encoding="utf-8")
    return p


def test_a_weather_file_not_found_stops_every_sites_runs_as_the_readme_says(tmp_path, capsys):
    portfolio = _portfolio_with_a_missing_weather_file(tmp_path)
    out = tmp_path / "reports"
    # a per-site notebook of the good site alone: refused all the same, before any run
    rc = main(["render", "--portfolio", str(portfolio), "--sites", "phoenix-az", "--notebooks", "rack_power",
               "--out", str(out), "-q"])
    err = capsys.readouterr().err.strip().splitlines()
    assert rc == 2
    assert len(err) == 1 and err[0].startswith("dcplan: error: ")
    assert "lost.yaml: weather.file: weather file not found: weather/not-copied.epw" in err[0]
    assert not out.exists()  # nothing half-written
    readme = " ".join(README.read_text(encoding="utf-8").split())
    assert ("nothing runs (exit 2), whatever `--sites` selects: a weather or tariff file a site YAML names that "
            "is not found, is a folder, or (weather) whose first line is not its format's is an error of that "
            "YAML") in readme


def test_a_render_whose_every_run_is_bad_input_does_not_say_the_others_rendered(tmp_path, capsys):
    """site_analysis reads every site: one site's weather file cut short (it exists: a file, not the YAML, is
    bad) makes both sites' runs bad input; none executed, so no "other runs rendered"."""
    text = (data_dir() / "sites" / "phoenix-az.yaml").read_text(encoding="utf-8")
    (tmp_path / "sites").mkdir()
    (tmp_path / "sites" / "phoenix-az.yaml").write_text(text, encoding="utf-8")
    weather = "weather/USA_AZ_Phoenix-Sky.Harbor.Intl.AP.722780_TMY3.epw"
    lines = (data_dir() / weather).read_text(encoding="utf-8").splitlines(keepends=True)
    (tmp_path / "cut.epw").write_text("".join(lines[:2000]), encoding="utf-8")  # 8 header lines + 1992 hours
    assert text.count("\nname: Phoenix, AZ\n") == 1
    cut = text.replace(weather, "../cut.epw").replace("\nname: Phoenix, AZ\n", "\nname: Cut short\n")
    (tmp_path / "sites" / "cut.yaml").write_text(cut, encoding="utf-8")
    p = tmp_path / "mine.yaml"
    p.write_text("name: mine\nsites:\n  - sites/phoenix-az.yaml\n  - sites/cut.yaml\n", encoding="utf-8")
    rc = main(["render", "--portfolio", str(p), "--notebooks", "site_analysis", "--out", str(tmp_path / "o"), "-q"])
    out = capsys.readouterr().out
    assert rc == 2
    assert "0/2 runs ok" in out
    assert "2 run(s) not executed: bad input (each line names the file, field and value; no other run to render)" in out
    assert "the other runs rendered" not in out
