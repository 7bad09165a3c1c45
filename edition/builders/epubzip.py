"""Re-packing an EPUB's zip so that the same book always gives the same bytes.

ebooklib writes its entries with the wall clock's time and in the order it
meets them. `repack` rewrites the container: `mimetype` first and stored (as
the OCF specification requires), then `META-INF/`, the package document, and
every other entry in sorted order, all with one fixed timestamp and fixed
permissions.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
import zipfile

MIMETYPE = "mimetype"
FIRST = (MIMETYPE, "META-INF/container.xml")
EARLIEST = dt.datetime(1980, 1, 1, tzinfo=dt.timezone.utc)  # zip timestamps start here
FILE_MODE = 0o100644  # a regular file, rw-r--r--
UNIX = 3


def repack(data: bytes, timestamp: dt.datetime, deflated: dict | None = None) -> bytes:
    """`data` (an EPUB) with its entries in order and stamped with `timestamp`.
    `deflated` (a watcher's, kept between builds) holds each entry's
    compressed bytes by a hash of the entry: an entry that did not change is
    not compressed again (the same bytes as compressing it: zlib is
    deterministic); it is left holding this build's."""
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        members = {info.filename: source.read(info) for info in source.infolist() if not info.is_dir()}
    if members.get(MIMETYPE) != b"application/epub+zip":
        raise ValueError("not an EPUB: the mimetype entry is missing or wrong")
    date_time = max(timestamp, EARLIEST).astimezone(dt.timezone.utc).timetuple()[:6]
    out = io.BytesIO()
    fresh: dict[bytes, bytes] = {}
    with zipfile.ZipFile(out, "w") as target:
        for name in sorted(members, key=_entry_order):
            info = zipfile.ZipInfo(name, date_time=date_time)
            info.create_system = UNIX
            info.external_attr = FILE_MODE << 16
            info.compress_type = zipfile.ZIP_STORED if name == MIMETYPE else zipfile.ZIP_DEFLATED
            if deflated is None or name == MIMETYPE or not hasattr(zipfile, "_get_compressor"):
                target.writestr(info, members[name], compresslevel=LEVEL)
            else:
                _write_reusing(target, info, members[name], deflated, fresh)
    if deflated is not None:
        deflated.clear()
        deflated.update(fresh)
    return out.getvalue()


LEVEL = 6  # zlib's default: 9 costs half as much again


class _Recording:
    """A compressor that keeps what it gives."""

    def __init__(self, compressor):
        self.compressor = compressor
        self.given: list[bytes] = []

    def compress(self, data: bytes) -> bytes:
        self.given.append(self.compressor.compress(data))
        return self.given[-1]

    def flush(self) -> bytes:
        self.given.append(self.compressor.flush())
        return self.given[-1]


class _Replay:
    """A compressor that gives what compressing the same entry gave before
    (zipfile hands each entry's bytes to `compress` at once, then flushes)."""

    def __init__(self, deflated: bytes):
        self.deflated = deflated

    def compress(self, data: bytes) -> bytes:
        deflated, self.deflated = self.deflated, b""
        return deflated

    def flush(self) -> bytes:
        return b""


def _write_reusing(target: zipfile.ZipFile, info: zipfile.ZipInfo, content: bytes, deflated: dict,
                   fresh: dict) -> None:
    """`target.writestr`, with the entry's compressed bytes from `deflated`
    when it has them (zipfile takes its compressor from `_get_compressor`)."""
    key = hashlib.sha256(content).digest()
    known = deflated.get(key)
    make = zipfile._get_compressor
    made: list = []

    def compressor(compress_type, compresslevel=None):
        made.append(_Replay(known) if known is not None else _Recording(make(compress_type, compresslevel)))
        return made[-1]

    zipfile._get_compressor = compressor
    try:
        target.writestr(info, content, compresslevel=LEVEL)
    finally:
        zipfile._get_compressor = make
    if len(made) == 1:
        fresh[key] = known if known is not None else b"".join(made[0].given)


def _entry_order(name: str):
    if name in FIRST:
        return (0, FIRST.index(name), name)
    if name.startswith("META-INF/"):
        return (1, 0, name)
    if name.endswith(".opf"):
        return (2, 0, name)
    return (3, 0, name)


def build_timestamp(iso_date: str) -> dt.datetime:
    """The time every entry is stamped with: SOURCE_DATE_EPOCH when set (the
    reproducible-builds convention), else midnight UTC of `iso_date`."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.timezone.utc)
    return utc_midnight(iso_date)


def utc_midnight(iso_date: str) -> dt.datetime:
    return dt.datetime.fromisoformat(iso_date).replace(tzinfo=dt.timezone.utc)
