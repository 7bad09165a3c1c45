"""Keeping an edition inside its project.

An editor opens projects that others send. Whatever a manifest, a text or a
style sheet names must therefore be a file of the project itself (after
following symbolic links), or one of the fonts the tool ships: never a file
elsewhere on the machine and never a URL. `inside` answers for a path,
`resolve_url` for a style sheet's `url(…)`, and `confined_fetcher` gives
WeasyPrint a URL fetcher that serves those files and refuses everything else.
"""

from __future__ import annotations

import re
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from .errors import Diagnostic, InvalidEdition, Location

SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")


class Outside(Exception):
    """A path or URL that leads outside the project; `str()` says why."""


def inside(root: Path, name: str, roots: tuple[Path, ...] = ()) -> Path:
    """The file `name` (relative to `root`) as a resolved path, if it lies
    inside `root` or one of `roots` after following links; else `Outside`."""
    if "\x00" in name:
        raise Outside("contains a NUL character")
    if SCHEME.match(name) and len(SCHEME.match(name).group(1)) > 1:
        raise Outside(f'"{name}" is a URL: name a file of the project, relative to its folder')
    written = PurePosixPath(name.replace("\\", "/"))
    if written.is_absolute() or re.match(r"^[A-Za-z]:", name):
        raise Outside(f'"{name}" is an absolute path: name files relative to the project folder, '
                      'e.g. "texts/name.md"')
    allowed = tuple(r.resolve() for r in (root, *roots))
    try:
        target = (root / written).resolve()
    except (OSError, RuntimeError):  # a loop of links
        raise Outside(f'"{name}" cannot be resolved (a loop of symbolic links?)') from None
    if any(target.is_relative_to(r) for r in allowed):
        return target
    if ".." in written.parts:
        raise Outside(f'"{name}" climbs out of the project folder: the edition may use only its own files')
    raise Outside(f'"{name}" is a link to a file outside the project folder: '
                  'copy the file into the project instead')


def resolve_url(url: str, base: Path, roots: tuple[Path, ...]) -> Path | None:
    """The file a style sheet's `url(…)` names (relative to the sheet's folder
    `base`), None for what needs no file (`data:` and `#fragment`), else `Outside`."""
    url = url.strip()
    if not url or url.startswith("#") or url.lower().startswith("data:"):
        return None
    parts = urlsplit(url)
    if parts.scheme or url.startswith("//"):
        scheme = parts.scheme.lower() or "network"
        if scheme == "file":
            raise Outside(f"url({url}): file: URLs are refused; name a file relative to the style sheet, "
                          'e.g. url(fonts/name.otf)')
        raise Outside(f"url({url}): the edition does not fetch anything over the network ({scheme}); "
                      "copy the file into styles/ and name it relative to the style sheet")
    path = unquote(parts.path)
    if not path:
        return None
    target = inside(base, path, roots)
    if not target.is_file():
        raise Outside(f"url({url}): no such file {_relative_to_any(target, roots)}")
    return target


def _relative_to_any(target: Path, roots: tuple[Path, ...]) -> str:
    for root in roots:
        try:
            return str(target.relative_to(root.resolve()))
        except ValueError:
            continue
    return str(target)


class Refused(BaseException):
    """A fetch our URL fetcher refused. It is a BaseException so that
    WeasyPrint, which logs and skips resources that fail with an Exception,
    lets it through and stops; `builders.build_all` turns it into an error."""

    def __init__(self, diagnostic: Diagnostic):
        super().__init__(str(diagnostic))
        self.diagnostic = diagnostic

    def as_error(self) -> InvalidEdition:
        return InvalidEdition([self.diagnostic])


def confined_fetcher(roots: tuple[Path, ...], origins: dict[str, Location], sheet: Location):
    """A WeasyPrint URL fetcher that serves the files under `roots` (and
    `data:` URLs) and refuses everything else, raising `Refused` with the
    style sheet's line that names the URL (`origins` maps a URL, as WeasyPrint
    asks for it, to that line; `sheet` stands for the sheet when it is not known)."""
    from urllib.request import url2pathname

    from weasyprint.urls import URLFetcher, URLFetcherResponse

    allowed = tuple(r.resolve() for r in roots)

    class ConfinedFetcher(URLFetcher):
        def __init__(self):
            super().__init__(allowed_protocols=("file", "data"), allow_redirects=False, fail_on_errors=True)

        def fetch(self, url, headers=None):
            if url.lower().startswith("data:"):
                return super().fetch(url, headers)
            if url.lower().startswith("file:"):
                path = Path(url2pathname(urlsplit(url).path)).resolve()
                if any(path.is_relative_to(r) for r in allowed) and path.is_file():
                    return URLFetcherResponse(url, path.read_bytes(), {}, 200)
            where = origins.get(url, sheet)
            raise Refused(Diagnostic(where, f"refused to fetch {url}: the edition may use only the files of "
                                            "its project and the fonts the tool ships"))

    return ConfinedFetcher()
