"""Reading source files: UTF-8 text with one line ending, every unreadable file a finding at its line."""

from __future__ import annotations

from pathlib import Path

from ..model.diagnostics import Diagnostic, Pos, error

MAX_FILE_BYTES = 20 * 1024 * 1024
"""Larger source files are refused: a lesson this big is a mistake (a pasted log, a binary renamed .md)."""


def read_text(root: Path, path: Path, diags: list[Diagnostic]) -> str | None:
    """Read a UTF-8 file (BOM dropped, CRLF and CR to LF); unreadable, binary or huge files are findings."""
    rel = path.relative_to(root).as_posix()
    try:
        data = path.read_bytes()
    except OSError as exc:
        diags.append(error("CB200", rel, None, f"cannot read the file: {exc.strerror or exc}",
                           "Check that it is a readable file (permissions, a broken symbolic link)."))
        return None
    return decode_text(rel, data, diags)


def decode_text(rel: str, data: bytes, diags: list[Diagnostic]) -> str | None:
    """The text of a source file's bytes, or None with a finding (binary, huge, not UTF-8)."""
    if len(data) > MAX_FILE_BYTES:
        diags.append(error("CB200", rel, None, f"file is {len(data) // 1_000_000} MB, more than the {MAX_FILE_BYTES // 1_000_000} MB limit",
                           "Split the file; one this big is almost certainly a mistake."))
        return None
    if b"\x00" in data:  # a whole-file finding: lines mean nothing in a binary file
        diags.append(error("CB200", rel, None, "file is binary (it holds NUL bytes), not text",
                           "Save it as UTF-8 text, or move it out of the project's source folders."))
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        column = len(data[data.rfind(b"\n", 0, exc.start) + 1: exc.start].decode("utf-8", "replace")) + 1
        diags.append(error("CB200", rel, Pos(line, column), f"file is not valid UTF-8 (byte 0x{data[exc.start]:02x} here)",
                           "Save the file as UTF-8 in your editor (e.g. \"Save with encoding: UTF-8\")."))
        return None
    return text.replace("\r\n", "\n").replace("\r", "\n")
