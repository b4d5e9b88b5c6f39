"""HTML printed to PDF by WeasyPrint, in a child process of its own for each document.

Why a child: WeasyPrint, Pango, HarfBuzz and fontconfig allocate tens of megabytes in C for a
report and keep caches of their own, and in a long-running worker that memory stayed. With the
soak's mix on one worker (40,000 requests), printing in the worker took it from 205 to 260 MB
at once and on to 287 MB, a climb that handing freed memory back did not stop; printing in a
child, the worker stayed at 225-239 MB (bench/README.md). A child hands everything back when
it exits, and a crash in the C libraries costs one report, not the worker. A child takes about
a second to start (the interpreter, WeasyPrint's imports, the fonts), so `Printer` keeps the
next one ready; a report still costs about 0.3 s more than printing in the worker did.

Printing fetches nothing: the URL fetcher given to WeasyPrint refuses every address outside
this package's web folder (`PackageOnlyFetcher`), so a link to a web address in what a user
typed loads nothing. The worker never imports WeasyPrint; the child imports little else.

Run as `python -m rugwijzer.web.pdf_printer`: the HTML (UTF-8) on standard input, the PDF on
standard output, exit status 0 when printed.
"""

from __future__ import annotations

import atexit
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

__all__ = [
    "PRINTER",
    "PRINTS_AT_ONCE",
    "PRINT_TIMEOUT_SECONDS",
    "WEB_FOLDER",
    "PackageOnlyFetcher",
    "PrintFailedError",
    "Printer",
    "RefusedURLError",
    "print_here",
    "print_pdf",
]

#: The only files printing may read: this package's web folder (templates, static files).
WEB_FOLDER = Path(__file__).resolve().parent
#: Documents one app process prints at the same time, each in its own child; more wait
#: their turn.
PRINTS_AT_ONCE = 2
#: A child that has not printed by then is stopped: a report takes about a second.
PRINT_TIMEOUT_SECONDS = 60.0


class RefusedURLError(ValueError):
    """An address the report may not load while printing (anything outside the package)."""


class PrintFailedError(RuntimeError):
    """The child did not deliver a PDF: it failed, was killed or ran out of time. The message
    holds how it ended (an exit status), never what it printed or said."""


class PackageOnlyFetcher:
    """WeasyPrint's URL fetcher for the report: `file:` addresses inside this package's web
    folder are read; every other address (http, https, ftp, data, files elsewhere) is refused
    and remembered in `refused`, so tests can see what a document asked for."""

    def __init__(self, root: Path = WEB_FOLDER) -> None:
        self.root = root.resolve()
        self.refused: list[str] = []

    def path_of(self, url: str) -> Path:
        """The package file `url` names, or `RefusedURLError`."""
        parts = urlsplit(url)
        if parts.scheme == "file" and parts.netloc in ("", "localhost"):
            path = Path(unquote(parts.path)).resolve()
            if path.is_relative_to(self.root) and path.is_file():
                return path
        raise RefusedURLError(url)

    def __call__(self, url: str) -> Any:
        try:
            path = self.path_of(url)
        except RefusedURLError:
            self.refused.append(url)
            raise
        return _response(url, path.read_bytes())


def _response(url: str, body: bytes) -> Any:
    """What WeasyPrint expects from a fetcher: a `URLFetcherResponse` (WeasyPrint 66 and newer)
    or, before that, a dict."""
    try:
        from weasyprint.urls import URLFetcherResponse
    except ImportError:  # pragma: no cover - WeasyPrint before 66
        return {"string": body, "url": url}
    return URLFetcherResponse(url, body)


def print_here(html: str, fetcher: PackageOnlyFetcher | None = None) -> bytes:
    """`html` printed to PDF in this process, loading nothing but this package's files. The
    child's work; everything else calls `print_pdf`."""
    from weasyprint import HTML

    document = HTML(
        string=html, base_url=WEB_FOLDER.as_uri() + "/", url_fetcher=fetcher or PackageOnlyFetcher()
    )
    pdf: bytes = document.write_pdf()
    return pdf


def printer_command() -> list[str]:
    """The child's command line: this interpreter running this module."""
    return [sys.executable, "-m", __name__]


class Printer:
    """Prints each document in a child process of its own, and keeps one child ready: started
    after the first document, it has loaded WeasyPrint and printed a page of its own while
    waiting, so the next document costs the print alone, not the child's start (about a
    second). Several threads may print; PRINTS_AT_ONCE children print at a time."""

    def __init__(self, command: list[str] | None = None) -> None:
        self.command = command or printer_command()
        self._ready: subprocess.Popen[bytes] | None = None
        self._lock = threading.Lock()
        self._printing = threading.BoundedSemaphore(PRINTS_AT_ONCE)

    def _start(self) -> subprocess.Popen[bytes]:
        return subprocess.Popen(
            self.command,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )

    def _take(self) -> subprocess.Popen[bytes]:
        """The child that is ready (or a new one), and a new one started to be ready next."""
        with self._lock:
            child = self._ready
            if child is not None and child.poll() is not None:  # it died while waiting
                child.communicate()  # closes its pipes
                child = None
            if child is None:
                child = self._start()
            self._ready = self._start()
            return child

    def print_pdf(self, html: str, *, timeout_s: float = PRINT_TIMEOUT_SECONDS) -> bytes:
        """`html` printed to PDF in a child (`PrintFailedError` when none comes back)."""
        with self._printing:
            child = self._take()
            try:
                pdf, _ = child.communicate(html.encode("utf-8"), timeout=timeout_s)
            except subprocess.TimeoutExpired:
                child.kill()
                child.communicate()
                raise PrintFailedError(f"no PDF within {timeout_s:g} s") from None
        # What the child wrote to stderr stays unread: it may quote the document, health data.
        if child.returncode != 0:
            raise PrintFailedError(f"the printer exited with status {child.returncode}")
        if not pdf.startswith(b"%PDF-"):
            raise PrintFailedError("the printer answered with something other than a PDF")
        return pdf

    def close(self) -> None:
        """Stop the ready child: it holds no document, and need not finish its warm-up. (A
        child whose app dies without this ends too, when its input closes.)"""
        with self._lock:
            child, self._ready = self._ready, None
        if child is not None:
            child.kill()
            child.communicate()


#: The printer of this process (tests may put one with another command in its place).
PRINTER = Printer()
atexit.register(lambda: PRINTER.close())


def print_pdf(html: str, *, timeout_s: float = PRINT_TIMEOUT_SECONDS) -> bytes:
    """`html` printed to PDF in a child process, by this process's `PRINTER`."""
    return PRINTER.print_pdf(html, timeout_s=timeout_s)


#: What a child prints while it waits for its document: the faces (regular, bold, italic),
#: page margins with counters, a table and a chart, so that the fonts, Pango and the style
#: sheets are loaded before the document comes.
WARM_UP_HTML = """<!doctype html><html lang="nl"><head><style>
@page { size: A4; @bottom-center { content: counter(page) " / " counter(pages);
  font: 8pt "DejaVu Sans", sans-serif; } }
html { font: 9.5pt/1.4 "DejaVu Sans", sans-serif; }
</style></head><body><h1>Rugwijzer</h1><p><b>vet</b> <i>schuin</i> <small>klein</small></p>
<table><tr><th>a</th><td>1</td></tr></table>
<svg width="40" height="20" viewBox="0 0 40 20"><polyline points="0,20 20,0 40,10"
 fill="none" stroke="#000"/><text x="2" y="18" font-size="8">1</text></svg></body></html>"""


def main() -> int:
    """The child: get ready, then print standard input to standard output. An input that
    closes empty (the app let a ready child go) prints nothing."""
    print_here(WARM_UP_HTML)
    html = sys.stdin.buffer.read().decode("utf-8")
    if not html:
        return 0
    sys.stdout.buffer.write(print_here(html))
    sys.stdout.buffer.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
