"""A load CSV that starts with comment lines ('#', as data/*.csv do) gets an error saying so, not only pandas's
"Error tokenizing data" (a wheel/JupyterLab tester's dcplan bill of data/system_load_example.csv)."""
from __future__ import annotations

import pytest

from dcplan.cli_bill import read_load_csv
from dcplan.errors import InputError

ROWS = "interval_end,load_kw\n2025-01-01T01:00-05:00,100\n2025-01-01T02:00-05:00,100\n"


@pytest.mark.parametrize("comments", ["# my note\n# another\n", "# a note, with a comma\n", "  # indented\n"])
def test_comment_lines_are_named_as_the_problem(tmp_path, comments):
    f = tmp_path / "load.csv"
    f.write_text(comments + ROWS)
    with pytest.raises(InputError, match=r"its first line starts with '#': a load CSV has no comment lines, its "
                                         r"first line is the header .*remove the comment lines") as ei:
        read_load_csv(f)
    assert "\n" not in str(ei.value)   # one line
    f.write_text(ROWS)                 # the same rows without them: read
    assert list(read_load_csv(f)) == [100.0, 100.0]
