"""A table's vintage in a run's provenance counts the figures' dates, not an expiry: costs.csv's AWS
price "2024 (valid to 2025-01-01)" is a 2024 figure (data/SOURCES.md: "the vintage's 2025-01-01 is its
expiry, not its date"; tester finding D11)."""
from __future__ import annotations

from dcplan.report_fingerprint import data_vintage, vintage_years


def test_an_expiry_is_no_vintage(tmp_path):
    p = tmp_path / "t.csv"
    p.write_text('key,value,vintage\na,1,2024 (valid to 2025-01-01)/2023-03\nb,2,2022\n')
    assert data_vintage(p) == "2022-2024"  # 2022-2025 with the expiry counted
    assert vintage_years("2024 (valid to 2025-01-01)/2026-03") == [2024, 2026]
    assert vintage_years("2024, valid until 2025-06; 2023") == [2024, 2023]
    assert vintage_years("2018 (ATB 2020)") == [2018, 2020]  # an edition is a date of the figure
