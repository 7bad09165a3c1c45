"""Re-packing an EPUB's zip so that the same book always gives the same bytes.

ebooklib writes its entries with the wall clock's time and in the order it
meets them. `repack` rewrites the container: `mimetype` first and stored (as
the OCF specification requires), then `META-INF/`, the package document, and
every other entry in sorted order, all with one fixed timestamp and fixed
permissions.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import zipfile

MIMETYPE = "mimetype"
FIRST = (MIMETYPE, "META-INF/container.xml")
EARLIEST = dt.datetime(1980, 1, 1, tzinfo=dt.timezone.utc)  # zip timestamps start here
FILE_MODE = 0o100644  # a regular file, rw-r--r--
UNIX = 3


def repack(data: bytes, timestamp: dt.datetime) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        members = {info.filename: source.read(info) for info in source.infolist() if not info.is_dir()}
    if members.get(MIMETYPE) != b"application/epub+zip":
        raise ValueError("not an EPUB: the mimetype entry is missing or wrong")
    date_time = max(timestamp, EARLIEST).astimezone(dt.timezone.utc).timetuple()[:6]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for name in sorted(members, key=_entry_order):
            info = zipfile.ZipInfo(name, date_time=date_time)
            info.create_system = UNIX
            info.external_attr = FILE_MODE << 16
            info.compress_type = zipfile.ZIP_STORED if name == MIMETYPE else zipfile.ZIP_DEFLATED
            target.writestr(info, members[name], compresslevel=6)  # zlib's default: 9 costs half as much again
    return out.getvalue()


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
