"""Reading the files a source is given: checksums, encoding detection (UTF-8, UTF-8 with BOM or
Windows-1252; any line ending), the refusal of bytes that do not decode, globs, and the default
table reader of a delimited text file."""
from __future__ import annotations

import codecs
import csv
import glob
import gzip
import hashlib
import io
import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from .base import LoadContext, LoadError, LoadRefused


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _open_bytes(path: Path):
    return gzip.open(path, "rb") if str(path).endswith(".gz") else open(path, "rb")  # noqa: SIM115


def detect_encoding(path: Path, sample_size: int = 1 << 20) -> str:
    """``utf-8-sig`` for a BOM, ``utf-8`` when the sample decodes, else ``cp1252``."""
    with _open_bytes(path) as f:
        head = f.read(sample_size)
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    try:
        # A multi-byte character cut at the end of the sample is not an error.
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
        return "utf-8"
    except UnicodeDecodeError:
        return "cp1252"


def open_text(path: Path, encoding: str | None = None) -> tuple[io.TextIOBase, str]:
    """A text stream for csv (newline='' so CR, LF and CRLF all end records), and its encoding."""
    enc = encoding or detect_encoding(path)
    return io.TextIOWrapper(_open_bytes(path), encoding=enc, newline=""), enc


def locate_decode_error(path: Path, encoding: str) -> tuple[int, bytes]:
    """Line number (1-based) and raw bytes of the first line that does not decode (diagnostics only)."""
    with _open_bytes(path) as f:
        raw = f.read()
    sep = b"\n" if b"\n" in raw else b"\r"
    for i, line in enumerate(raw.split(sep), start=1):
        try:
            line.decode(encoding)
        except UnicodeDecodeError:
            return i, line[:80]
    return 0, b""


def decode_refusal(path: Path, encoding: str) -> LoadRefused:
    line, raw = locate_decode_error(path, encoding)
    return LoadRefused(f"{path}: line {line}: bytes that are not valid {encoding} ({raw!r}); save the "
                       f"file as UTF-8 (or Windows-1252), or pass --encoding")


def expand_paths(patterns: Iterable[str]) -> list[Path]:
    """Globs and plain paths to a sorted, de-duplicated list of files; a pattern that matches
    nothing is an error (a typo must not load nothing silently)."""
    out: list[Path] = []
    for p in patterns:
        matches = sorted(glob.glob(os.path.expanduser(p)))
        if not matches:
            raise LoadError(f"{p}: no such file")
        folders = [m for m in matches if os.path.isdir(m)]
        if folders:
            raise LoadError(f"{folders[0]}: is a folder; give the files in it (for example "
                            f"{os.path.join(folders[0], '*')})")
        out.extend(Path(m) for m in matches)
    seen, unique = set(), []
    for p in out:
        if p.resolve() not in seen:
            seen.add(p.resolve())
            unique.append(p)
    return unique


def records(reader, path: Path, first_line: int, encoding: str) -> Iterator[tuple[int, list[str]]]:
    """(line number, fields) of each non-blank record of a csv reader."""
    last = first_line
    try:
        for rec in reader:
            line_no = last + 1
            last = reader.line_num
            if not rec or (len(rec) == 1 and not rec[0].strip()):
                continue   # blank line
            yield line_no, rec
    except UnicodeDecodeError as e:
        raise decode_refusal(path, encoding) from e
    except csv.Error as e:
        if "field larger than field limit" in str(e):
            raise LoadRefused(f"{path}: line {last + 1}: a field too long (over {csv.field_size_limit():,} "
                              "characters): no column of a SafeStats source holds that; is the file damaged "
                              "(an unclosed quote)?") from e
        raise LoadRefused(f"{path}: line {last + 1}: unreadable CSV ({e})") from e


@contextmanager
def csv_table(source, ctx: LoadContext):
    """The default table reader: (header, records) of a delimited text file, streamed; the
    source gives its ``delimiter``, ``header_rows`` and known ``encoding``."""
    path, options = ctx.path, ctx.options
    stream, enc = open_text(path, options.encoding or source.encoding)
    ctx.meta["encoding"] = enc
    with stream:
        reader = csv.reader(stream, delimiter=source.delimiter)
        try:
            header = next(reader)
            for _ in range(source.header_rows - 1):
                next(reader)
        except StopIteration:
            raise LoadRefused(f"{path}: the file is empty (no header line)") from None
        except UnicodeDecodeError as e:
            raise decode_refusal(path, enc) from e
        except csv.Error as e:
            raise LoadRefused(f"{path}: line 1: unreadable CSV ({e})") from e
        yield header, records(reader, path, reader.line_num, enc)
