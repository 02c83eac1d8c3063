"""Rough edges of the command line around render.

* No progress bar when stderr is not a terminal (a batch log, a pipe): only the summary.
* Site ids and folder names spell out letters that have no accent to drop (œ, æ, ß, ø, ł).
* ``dcplan validate`` of a portfolio says what it covered; ``sites --portfolio`` and
  ``validate -q`` have help texts.
"""
from __future__ import annotations

import pytest

from dcplan import report
from dcplan.cli import build_parser, main
from dcplan.paths import ascii_name, default_portfolio
from dcplan.report_files import safe_slug


def test_no_progress_bar_when_stderr_is_not_a_terminal(monkeypatch, capsys, tmp_path):
    seen = {}

    def fake_render(**kw):
        seen.update(kw)
        return report.RenderSummary(results=[], out=tmp_path, seconds=0.0)

    monkeypatch.setattr(report, "render", fake_render)
    assert main(["render", "--out", str(tmp_path / "r")]) == 0  # capsys: stderr is no terminal
    assert seen["progress"] is False
    monkeypatch.setattr("sys.stderr.isatty", lambda: True, raising=False)
    main(["render", "--out", str(tmp_path / "r")])
    assert seen["progress"] is True
    main(["render", "--out", str(tmp_path / "r"), "-q"])
    assert seen["progress"] is False
    capsys.readouterr()


@pytest.mark.parametrize("name, ascii_text", [("phœnix é", "phoenix e"), ("Zürich DC", "Zurich DC"),
                                              ("Straße", "Strasse"), ("Łódź", "Lodz"), ("Ærø", "AEro"),
                                              ("Tromsø", "Tromso"), ("Þórshöfn", "THorshofn")])
def test_letters_without_an_accent_to_drop_are_spelled_out(name, ascii_text):
    assert ascii_name(name) == ascii_text
    assert safe_slug(name).startswith(ascii_text.lower().replace(" ", "-") + "-")  # + the hash of the name


def test_validate_of_a_portfolio_says_what_it_covered(capsys):
    # the bundled portfolio: 4 site files, each with its own EPW and URDB tariff (data/portfolio.yaml)
    assert main(["validate"]) == 0
    assert capsys.readouterr().out.splitlines()[0] == f"{default_portfolio()}: ok (4 sites, 4 weather files, 4 tariffs)"


def _help(*cmd) -> str:
    sub = build_parser()._subparsers._group_actions[0].choices[cmd[0]]
    return sub.format_help()


def test_sites_portfolio_and_validate_quiet_have_help():
    assert "--portfolio PORTFOLIO\n                        portfolio YAML (default: bundled example)" in _help("sites")
    assert " ".join(_help("validate").split()).count("-q, --quiet print only the problems (no line for a file "
                                                      "that is ok)") == 1


def test_an_interrupted_render_says_one_line_not_its_cut_cell_s_traceback(monkeypatch, capfd, caplog):
    """Ctrl-C of a render whose kernel was in a cell: below "dcplan: interrupted: ..." came asyncio's "Task
    exception was never retrieved" and 140 lines of traceback (dcplan's stack, the cell's code in ANSI colours),
    logged as nbclient's task of the cell was freed. Simulated: a task whose error nobody awaits, freed with the
    interrupt's traceback."""
    import asyncio
    import logging

    from dcplan import cli

    def interrupted_render(args):
        loop = asyncio.new_event_loop()

        async def cell():
            raise RuntimeError("the cell the interrupt cut short")
        task = loop.create_task(cell())  # noqa: F841 - held by this frame, freed with the interrupt's traceback
        loop.run_until_complete(asyncio.sleep(0.01))
        loop.close()
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "_cmd_render", interrupted_render)
    level = logging.getLogger("asyncio").level
    try:
        assert main(["render"]) == 130
        import gc
        gc.collect()
        err = capfd.readouterr().err
    finally:
        logging.getLogger("asyncio").setLevel(level)
    assert err.startswith("dcplan: interrupted") and "never retrieved" not in err and "Traceback" not in err, err
    # (under pytest the log goes to its handlers, not stderr: none was made)
    assert not [r for r in caplog.records if r.name == "asyncio"], [r.getMessage()[:80] for r in caplog.records]
