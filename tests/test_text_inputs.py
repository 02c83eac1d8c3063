"""Text and number inputs a shared site file could abuse (a security reviewer's findings): control
characters and bidirectional overrides in names, labels and notes (raw escape sequences reached
the terminal through ``dcplan sites``, and the TCO workbook failed late on them), names of a
million characters (site_climate took 164 s instead of 1.6 s), numbers YAML 1.1 reads as text
(``5.0e3``) and a tariff or weather "file" that is a device (``/dev/null``)."""
from __future__ import annotations

import pytest
import yaml

from conftest import DATA

from dcplan.cli import main, printable
from dcplan.errors import InputError
from dcplan.site import SiteError, load_portfolio, load_site
from dcplan.specs._base import MAX_NAME_CHARS, MAX_NOTES_CHARS, text_problem

#: What a name or label allows: the tail of every refusal of one of its characters.
NAME_ALLOWED = ("allowed in a name or label: one line of printable text, without control characters "
                "(U+0000-U+001F and U+007F-U+009F, tab and newline included) or bidirectional overrides "
                "(U+202A-U+202E, U+2066-U+2069)")
NOTES_ALLOWED = ("allowed in notes or a description: printable text, tabs and newlines, without control "
                 "characters (U+0000-U+0008, U+000B-U+001F, U+007F-U+009F) or bidirectional overrides "
                 "(U+202A-U+202E, U+2066-U+2069)")
SOURCE_ALLOWED = NAME_ALLOWED.replace("a name or label", "a source")
PATH_ALLOWED = NAME_ALLOWED.replace("a name or label", "a file name")


def _site(**changes) -> dict:
    raw = yaml.safe_load((DATA / "sites" / "phoenix-az.yaml").read_text())
    raw["weather"]["file"] = str(DATA / raw["weather"]["file"])
    raw["tariff"]["file"] = str(DATA / raw["tariff"]["file"])
    raw.update(changes)
    return raw


def _lines(tmp_path, raw: dict | None = None, text: str | None = None) -> list[str]:
    """The problems of the site file (``raw`` dumped, or ``text`` as written), without the file name."""
    f = tmp_path / "s.yaml"
    f.write_text(text if text is not None else yaml.safe_dump(raw, sort_keys=False))  # escaped: "\\N" for NEL
    with pytest.raises(SiteError) as ei:
        load_site(f)
    return [ln.split(": ", 1)[1] for ln in ei.value.all_lines()]


# ---------------------------------------------------------------------------
# 1. control characters and bidirectional overrides

def test_the_reviewers_name_is_refused_naming_the_first_character_and_where_it_is(tmp_path):
    # the reviewer's YAML: a right-to-left override (U+202E) at character 8 ("Phoenix" is 7), then a
    # newline, a tab, a bell and an escape: 4 more
    text = (DATA / "sites" / "phoenix-az.yaml").read_text().replace(
        "name: Phoenix, AZ", 'name: "Phoenix\\u202e xslx.exe\\nline2\\tTAB\\x07\\x1b[31mRED"')
    text = text.replace("file: weather/", f"file: {DATA}/weather/").replace("file: tariffs/", f"file: {DATA}/tariffs/")
    assert _lines(tmp_path, text=text) == [
        "name: contains U+202E (RIGHT-TO-LEFT OVERRIDE: a bidirectional override) at character 8 (and 4 more such "
        "characters): 'Phoenix\\u202e xslx.exe\\nline2\\tTAB\\x07\\x1b[31mRED'; " + NAME_ALLOWED]


@pytest.mark.parametrize("ch, said", [
    ("\x0b", "U+000B (vertical tab: a control character)"),     # pasted from Word: openpyxl refuses it
    ("\x0c", "U+000C (form feed: a control character)"),
    ("\t", "U+0009 (tab: a control character)"),
    ("\n", "U+000A (newline: a control character)"),
    ("\r", "U+000D (carriage return: a control character)"),
    ("\x1b", "U+001B (ESC, escape: a control character)"),
    ("\x85", "U+0085 (NEL, next line: a control character)"),    # C1
    ("\x9b", "U+009B (a control character)"),                     # C1 CSI: no name in unicodedata
    ("\u2066", "U+2066 (LEFT-TO-RIGHT ISOLATE: a bidirectional override)"),
    ("\u202a", "U+202A (LEFT-TO-RIGHT EMBEDDING: a bidirectional override)"),
])
def test_a_label_refuses_each_control_and_bidi_character(tmp_path, ch, said):
    raw = _site()
    raw["fleet"]["phases"][0]["label"] = f"Hall{ch}1"
    # "Hall" is 4 characters: the refused one is the 5th; repr escapes it in the echo
    assert _lines(tmp_path, raw) == [f"fleet.phases[0].label: contains {said} at character 5: {f'Hall{ch}1'!r}; "
                                     + NAME_ALLOWED]


@pytest.mark.parametrize("section, key, allowed", [
    ("weather", "source", SOURCE_ALLOWED),
    ("weather", "file", PATH_ALLOWED),
    ("tariff", "label", NAME_ALLOWED),
    ("tariff", "file", PATH_ALLOWED),
    ("interconnection", "utility", NAME_ALLOWED),   # a reviewer's utility: "APS\x1b[31m\x0b" validated
    ("interconnection", "iso", NAME_ALLOWED),
])
def test_each_text_field_of_a_section_refuses_a_control_character(tmp_path, section, key, allowed):
    raw = _site()
    raw[section][key] = "ab\x07"
    lines = _lines(tmp_path, raw)
    assert f"{section}.{key}: contains U+0007 (BEL, bell: a control character) at character 3: 'ab\\x07'; {allowed}" \
        in lines


def test_a_flat_tariffs_source_and_a_phases_hardware_key_refuse_a_control_character(tmp_path):
    raw = _site(tariff={"flat_usd_per_kwh": 0.07, "source": "estimate\x1b[2J"})
    raw["fleet"]["phases"][0]["hardware"] = "hgx-b200\x1b"
    lines = _lines(tmp_path, raw)
    assert ("tariff.source: contains U+001B (ESC, escape: a control character) at character 9: 'estimate\\x1b[2J'; "
            + SOURCE_ALLOWED) in lines
    assert ("fleet.phases[0].hardware: contains U+001B (ESC, escape: a control character) at character 9: "
            "'hgx-b200\\x1b'; " + NAME_ALLOWED) in lines


def test_the_timezone_refuses_a_control_character_before_its_zone_check(tmp_path):
    assert _lines(tmp_path, _site(timezone="America/Phoenix\x1b")) == [
        "timezone: contains U+001B (ESC, escape: a control character) at character 16: 'America/Phoenix\\x1b'; "
        + NAME_ALLOWED]


def test_notes_keep_newlines_and_tabs_but_refuse_other_control_characters(tmp_path):
    f = tmp_path / "ok.yaml"
    f.write_text(yaml.safe_dump(_site(notes="line 1\n\tline 2\n"), sort_keys=False))
    assert load_site(f).notes == "line 1\n\tline 2\n"
    assert _lines(tmp_path, _site(notes="line 1\nline 2\x0c")) == [
        "notes: contains U+000C (form feed: a control character) at character 14: 'line 1\\nline 2\\x0c'; "
        + NOTES_ALLOWED]


def test_a_portfolios_name_and_description_refuse_control_characters(tmp_path):
    pf = tmp_path / "pf.yaml"
    pf.write_text(yaml.safe_dump({"name": "P\x1b[31m", "description": "two\nlines\x07",
                                  "sites": [str(DATA / "sites" / "phoenix-az.yaml")]}))
    with pytest.raises(SiteError) as ei:
        load_portfolio(pf)
    assert ei.value.problems == [
        ("name", "contains U+001B (ESC, escape: a control character) at character 2: 'P\\x1b[31m'; " + NAME_ALLOWED),
        ("description", "contains U+0007 (BEL, bell: a control character) at character 10: 'two\\nlines\\x07'; "
                        + NOTES_ALLOWED)]


def test_the_bundled_sites_and_portfolio_pass_the_text_checks():
    pf = load_portfolio(DATA / "portfolio.yaml")
    assert [s.id for s in pf.sites] == ["research-triangle-nc", "northern-virginia", "phoenix-az", "chicago-il"]


def test_printable_escapes_what_a_terminal_would_act_on():
    # repr's escapes: ESC is the 4 characters \x1b, U+202E the 6 characters \u202e
    assert printable("Phoenix\u202e xslx.exe\nline2\tTAB\x07\x1b[31mRED") == \
        "Phoenix\\u202e xslx.exe\\nline2\\tTAB\\x07\\x1b[31mRED"
    assert printable("a\nb\x1b", lines=True) == "a\nb\\x1b"
    assert printable("数据中心, Zürich") == "数据中心, Zürich"


def test_dcplan_sites_never_prints_a_raw_control_character(monkeypatch, capsys):
    # a name that got past the checks (a spec copied without validation): escaped in the table
    import dcplan.site
    real = load_portfolio(DATA / "portfolio.yaml")
    site = real.sites[2].model_copy(update={"name": "Phoenix\x1b[31m\nRED"})  # model_copy does not validate
    fake = dcplan.site.Portfolio.model_construct(name="P\x07", sites=(site,), source_file="", description="")
    monkeypatch.setattr(dcplan.site, "load_portfolio", lambda path=None, **kw: fake)  # kw: defer_file_problems
    assert main(["sites"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == "P\\x07 (1 site)"
    assert out.splitlines()[2].startswith("phoenix-az  Phoenix\\x1b[31m\\nRED  33.45")
    assert len(out.splitlines()) == 3  # the header, the column names, one site: no line broken by the newline


def test_an_error_echoing_a_raw_control_character_is_printed_escaped(monkeypatch, capsys):
    import dcplan.site

    def bad(path=None, **kw):
        raise InputError("bad name 'x\x1b[31m'\x07", field="name")
    monkeypatch.setattr(dcplan.site, "load_portfolio", bad)
    assert main(["sites"]) == 2
    assert capsys.readouterr().err == "dcplan: error: name: bad name 'x\\x1b[31m'\\x07\n"


# ---------------------------------------------------------------------------
# 2. lengths

def test_a_million_character_name_is_refused_with_its_length_and_the_limit(tmp_path):
    assert _lines(tmp_path, _site(name="P" * 1_000_000)) == [
        f"name: is 1,000,000 characters long, starting {'P' * 40!r}...; allowed: at most 200 characters in a name "
        "or label (put longer text in the site's notes)"]


def test_the_name_limit_is_200_characters_and_notes_5000(tmp_path):
    assert (MAX_NAME_CHARS, MAX_NOTES_CHARS) == (200, 5000)
    assert text_problem("n" * 200) is None
    assert text_problem("n" * 201, "name") == (f"is 201 characters long, starting {'n' * 40!r}...; allowed: at most 200 "
                                               "characters in a name or label (put longer text in the site's notes)")
    assert text_problem("n" * 5000, "notes") is None
    assert _lines(tmp_path, _site(notes="n" * 5001)) == [
        f"notes: is 5,001 characters long, starting {'n' * 40!r}...; allowed: at most 5,000 characters in notes or a "
        "description"]


def test_a_long_label_is_refused(tmp_path):
    raw = _site()
    raw["fleet"]["phases"][0]["label"] = "L" * 201
    assert _lines(tmp_path, raw) == [
        f"fleet.phases[0].label: is 201 characters long, starting {'L' * 40!r}...; allowed: at most 200 characters "
        "in a name or label (put longer text in the site's notes)"]


def test_a_long_site_id_is_echoed_short(tmp_path):
    (line,) = _lines(tmp_path, _site(id="X" * 10_000))
    # the echo is cut to dcplan.site_problems.MAX_VALUE_ECHO (200) characters, not 10,000
    assert line.startswith("id: id 'XXXXXX") and len(line) < 500


# ---------------------------------------------------------------------------
# 3. numbers YAML 1.1 reads as text, and files that are no regular file

def test_an_exponent_yaml_reads_as_text_says_how_to_write_it(tmp_path):
    text = (DATA / "sites" / "phoenix-az.yaml").read_text().replace("dc_kw: 5000", "dc_kw: 5.0e3").replace(
        "count: 384", "count: 1e3").replace("file: weather/", f"file: {DATA}/weather/").replace(
        "file: tariffs/", f"file: {DATA}/tariffs/")
    why = "YAML 1.1 reads an exponent only with a '.' in the number and a sign after the e"
    assert _lines(tmp_path, text=text) == [
        f"fleet.phases[0].count: Input should be a valid integer, got '1e3': YAML reads 1e3 as text, not a number "
        f"({why}): write 1000",
        f"solar.dc_kw: Input should be a valid number, got '5.0e3': YAML reads 5.0e3 as text, not a number ({why}): "
        "write 5.0e+3 or 5000"]
    # as the hint says, YAML reads both forms as the number
    assert yaml.safe_load("[5.0e+3, 5000]") == [5000.0, 5000]


def test_a_negative_exponent_and_a_thousands_comma_get_the_hint(tmp_path):
    raw = _site()
    raw["solar"]["dc_kw"] = "25e-5"
    raw["fleet"]["phases"][0]["count"] = "5,000"
    assert _lines(tmp_path, raw) == [
        "fleet.phases[0].count: Input should be a valid integer, got '5,000': YAML reads 5,000 as text, not a number "
        "(a comma is no part of a YAML number): write 5000",
        "solar.dc_kw: Input should be a valid number, got '25e-5': YAML reads 25e-5 as text, not a number (YAML 1.1 "
        "reads an exponent only with a '.' in the number and a sign after the e): write 25.0e-5 or 0.00025"]
    assert yaml.safe_load("25.0e-5") == 0.00025


@pytest.mark.parametrize("dev", ["/dev/null", "/dev/zero"])
def test_a_tariff_or_weather_file_that_is_a_device_says_so(tmp_path, dev):
    raw = _site()
    raw["tariff"]["file"] = dev
    raw["weather"]["file"] = dev
    assert _lines(tmp_path, raw) == [
        f"weather.file: {dev} exists but is a device, not a regular file; allowed: a TMY2 (.tm2), TMY3 (.csv), "
        "EPW (.epw), NSRDB (.csv) or PVGIS (.csv, .json) file",
        f"tariff.file: {dev} exists but is a device, not a regular file; allowed: a URDB-format JSON file"]


def test_a_tariff_file_that_is_a_folder_says_so(tmp_path):
    raw = _site()
    raw["tariff"]["file"] = str(tmp_path)
    assert _lines(tmp_path, raw) == [f"tariff.file: {tmp_path} is a folder, not a tariff file; allowed: a URDB-format "
                                     "JSON file"]
