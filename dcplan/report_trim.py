"""What a run keeps (part of :mod:`dcplan.report`): :func:`_trim_outputs` cuts long text
outputs (with a marker saying how much and why) before a run's notebook and HTML report are
written (:func:`dcplan.report_execute._finish`); :func:`_collect_exports` keeps the regular
files under its working folder's ``outputs/`` and says what it left out."""
from __future__ import annotations

import os
import stat
from pathlib import Path

from .report_files import _sha256
from .report_params import EXPORTS_DIR

MAX_TEXT_OUTPUT_CHARS = 20_000  # per stream/text output kept in executed notebooks


def _trim_outputs(nb) -> None:
    """Keep executed notebooks (and so their HTML) small, however chatty a notebook is.

    In every cell, consecutive stream outputs of one stream (a loop of ``print``: one
    output per flush) are merged into one; a stream output keeps at most
    :data:`MAX_TEXT_OUTPUT_CHARS` characters (its head and its tail), a ``text/plain``
    result at most 4 times that (a ``text/html`` one longer than that is left out whole,
    never cut: a cut inside a tag hides its marker, inside a ``<script>`` it breaks an
    interactive figure; its text/plain says so); a cell keeps at most
    :data:`MAX_CELL_TEXT_CHARS` of such text and the notebook at most
    :data:`MAX_NOTEBOOK_TEXT_CHARS` (figures and error tracebacks are not counted or
    cut). Whatever is cut is replaced by one marker saying how many characters and lines
    were left out, and why. Widget state is dropped.
    """
    left_nb = MAX_NOTEBOOK_TEXT_CHARS
    for cell in nb.cells:
        outs = cell.get("outputs")
        if not outs:
            continue
        budget = min(MAX_CELL_TEXT_CHARS, left_nb)
        left = budget
        kept, gone_n, gone_chars, gone_lines = [], 0, 0, 0
        for o in _merge_streams(outs):
            if o.get("output_type") == "stream":
                t = o.get("text", "")
                cap = min(MAX_TEXT_OUTPUT_CHARS, left)
                if len(t) > cap and cap < _MIN_KEPT_CHARS:  # no room left: the whole output goes
                    gone_n, gone_chars, gone_lines = gone_n + 1, gone_chars + len(t), gone_lines + t.count("\n")
                    continue
                if len(t) > cap:
                    o["text"] = _cut(t, cap, "stream")
                left -= min(len(t), cap)
                kept.append(o)
                continue
            data = o.get("data") or {}
            html = data.get("text/html")
            if isinstance(html, str):
                cap = min(4 * MAX_TEXT_OUTPUT_CHARS, left)
                if len(html) > cap:
                    # HTML is never cut: a cut inside a tag or a <script> (an interactive figure)
                    # hides the marker and breaks the page. The output falls back to its text
                    del data["text/html"]
                    plain = data.get("text/plain")
                    note = (f"[an HTML output of {len(html):,} characters (a table or an interactive figure) "
                            f"left out; {_LIMITS}]")
                    data["text/plain"] = (f"{plain}\n{note}" if isinstance(plain, str) else note)
                else:
                    left -= len(html)
            plain = data.get("text/plain")
            if isinstance(plain, str):
                cap = min(4 * MAX_TEXT_OUTPUT_CHARS, left)
                if len(plain) > cap:
                    data["text/plain"] = _cut(plain, max(cap, 0), "text/plain", tail=False)
                left -= min(len(plain), max(cap, 0))
            kept.append(o)
        if gone_n:
            kept.append(_stream_marker(gone_n, gone_chars, gone_lines))
        cell["outputs"] = kept
        left_nb -= budget - max(left, 0)
    nb.metadata.pop("widgets", None)


#: characters of text a cell keeps at most, over all its outputs (see :func:`_trim_outputs`)
MAX_CELL_TEXT_CHARS = 100_000
#: characters of text an executed notebook keeps at most (about 1 MB of HTML at most)
MAX_NOTEBOOK_TEXT_CHARS = 1_000_000
_MIN_KEPT_CHARS = 500  # a stream output cut shorter than this is dropped whole instead
_LIMITS = (f"dcplan keeps at most {MAX_TEXT_OUTPUT_CHARS:,} characters per output, "
           f"{MAX_CELL_TEXT_CHARS:,} per cell and {MAX_NOTEBOOK_TEXT_CHARS:,} per notebook")


def _merge_streams(outs: list) -> list:
    """``outs`` with consecutive stream outputs of the same stream (stdout, stderr) joined."""
    merged: list = []
    parts: dict[int, list[str]] = {}  # joined once at the end: adding text one by one is quadratic
    for o in outs:
        prev = merged[-1] if merged else None
        if (o.get("output_type") == "stream" and prev is not None
                and prev.get("output_type") == "stream" and prev.get("name") == o.get("name")):
            parts.setdefault(len(merged) - 1, [prev.get("text", "")]).append(o.get("text", ""))
        else:
            merged.append(o)
    for i, texts in parts.items():
        merged[i]["text"] = "".join(texts)
    return merged


def _cut(text: str, keep: int, what: str, tail: bool = True) -> str:
    """``text`` cut to ``keep`` characters: its head and (``tail``) its last third, with one
    marker between saying how much was left out."""
    head_n = keep if not tail else keep - keep // 3
    tail_n = keep - head_n
    head, rest = text[:head_n], text[head_n:len(text) - tail_n]
    end = text[len(text) - tail_n:] if tail_n else ""
    nl = "\n" if head and not head.endswith("\n") else ""
    return (f"{head}{nl}... [{len(rest):,} characters ({rest.count(chr(10)):,} lines) of this "
            f"{what} output left out here; {_LIMITS}]\n{end}")


def _stream_marker(n: int, chars: int, lines: int):
    import nbformat
    return nbformat.v4.new_output("stream", name="stderr",
                                  text=f"... [{n:,} more output(s) of this cell left out: {chars:,} "
                                       f"characters ({lines:,} lines); {_LIMITS}]\n")


#: the folder of a run's working folder that is kept beside its report
EXPORTS = EXPORTS_DIR
#: at most this many stray files are named in results.json's ``not_exported`` line
_MAX_NAMED = 20


def _kind(mode: int) -> str | None:
    """What a file that is not exported is (None: a regular file or a folder, which are)."""
    if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
        return None
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    return "not a regular file (a FIFO, socket or device)"


def _collect_exports(work: Path, tmp_dir: Path) -> tuple[list[dict], list[str], list[str]]:
    """Move the files a notebook exported (``outputs/`` of its working folder ``work``) into the
    run's folder ``tmp_dir``: ``(artifacts, not_exported, warnings)``.

    Only regular files (and the folders holding them) are exported: a symbolic link under
    ``outputs/`` (a file outside the run's folder, listed with the target's hash and linked from
    the index) or a FIFO, socket or device is removed and not listed, with a warning naming it
    and why (in the report, results.json ``warnings`` and ``not_exported``). Files the notebook
    left in its working folder outside ``outputs/`` are not kept (the folder is scratch): one line
    of ``not_exported`` names them. (A file written outside the working folder, ``../x.csv``, is
    the notebook's own business: render does not see it.)"""
    not_exported, warnings = [], []
    src = work / EXPORTS
    try:
        top = os.lstat(src).st_mode
    except FileNotFoundError:
        top = None
    if top is not None and not stat.S_ISDIR(top):  # outputs itself a link or a file
        why = _kind(top) or "a file, not a folder"
        warnings.append(f"{EXPORTS}/ was not exported: it is {why} (exports are regular files in an "
                        f"{EXPORTS}/ folder of the notebook's working folder)")
        not_exported.append(warnings[-1])
        src.unlink()
        top = None
    if top is not None:
        dropped = []
        for root, dirs, files in os.walk(src):  # links to folders are listed in dirs, not followed
            for name in dirs + files:
                f = Path(root) / name
                why = _kind(os.lstat(f).st_mode)
                if why is not None:
                    target = f" to {os.readlink(f)}" if why == "a symbolic link" else ""
                    dropped.append((f, f"{why}{target}"))
        for f, why in dropped:
            rel = f.relative_to(work).as_posix()
            warnings.append(f"{rel} was not exported: {why} (only regular files under {EXPORTS}/ are kept, "
                            "listed and linked)")
            not_exported.append(warnings[-1])
            f.unlink()
        from .export_record import RECORD  # an export's record of what it wrote: render's is results.json's
        for rec in src.rglob(RECORD):  # artifacts (the folder is new each run: nothing in it to keep)
            if rec.is_file() and not rec.is_symlink():
                rec.unlink()
        os.replace(src, tmp_dir / EXPORTS)
    artifacts = [{"path": p.relative_to(tmp_dir).as_posix(), "sha256": _sha256(p), "bytes": p.stat().st_size}
                 for p in sorted((tmp_dir / EXPORTS).rglob("*")) if p.is_file() and not p.is_symlink()]
    stray = []
    for root, dirs, files in os.walk(work):
        if Path(root) == work:
            dirs[:] = [d for d in dirs if d != EXPORTS]
        stray += [(Path(root) / n).relative_to(work).as_posix() for n in files]
        stray += [(Path(root) / d).relative_to(work).as_posix() for d in dirs if (Path(root) / d).is_symlink()]
    if stray:
        stray.sort()
        more = f" and {len(stray) - _MAX_NAMED} more" if len(stray) > _MAX_NAMED else ""
        not_exported.append(f"not exported: {', '.join(stray[:_MAX_NAMED])}{more} (files the notebook left in its "
                            f"working folder; only {EXPORTS}/ is kept)")
    return artifacts, not_exported, warnings
