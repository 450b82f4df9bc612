"""`press serve`: the issue's pages in the browser, drawn again on every save.

Takes an issue folder, a port and a resolution; runs the build loop of
`press watch` (press.watch: the same incremental build, the same PDF) and,
after each build, renders the PDF's pages as PNG images with PDFium (only the
pages whose drawing changed: see `fingerprints`), labelled as the PDF labels
them (封面, 目录, 1 …), each with the source files of what it shows.  A small
HTTP server on 127.0.0.1 serves one page (serve.html) that follows the builds
through `/status` (a long poll: it answers as soon as a build ends) and shows
the images; a build that fails shows its problems (file:line:col) there and
keeps the pages of the last good build.

The server serves the page, `/status` and the page images, and nothing else:
no file of the disk is ever named by a URL, so any other path is 404.
Requests naming another host than 127.0.0.1 or localhost (a DNS rebinding
from a web site) are refused too.
"""

import hashlib
import io
import json
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from press import ids
from press.build import Built
from press.errors import PressError, display_path
from press.model import ISSUE_FILE
from press.watch import Failed, clock

HOST = "127.0.0.1"
DEFAULT_PORT = 8765
DEFAULT_DPI = 80
WAIT_SECONDS = 25  # how long /status?after=N waits for a newer build before it answers with the same one
PAGE_FILE = Path(__file__).with_name("serve.html")
PAGE_IMAGE = re.compile(r"^/pages/(\d{1,4})\.png$")
FRONT_SOURCE = ISSUE_FILE  # the cover and the contents are made from the issue's list (and its articles' titles)


class PortInUse(PressError):
    """The port cannot be listened on (exit 2, as a usage error: the command line names it)."""

    exit_code = 2


@dataclass(frozen=True)
class Source:
    """A source file of what a page shows, and the first line of it there (0: the whole file)."""

    path: Path
    line: int = 0

    def as_json(self) -> dict:
        return {"path": display_path(self.path) + (f":{self.line}" if self.line else ""),
                "href": self.path.resolve().as_uri()}


@dataclass(frozen=True)
class Page:
    """One page as shown: its label, its PNG, the build its image was made in, and its sources."""

    label: str
    png: bytes
    version: int
    fingerprint: str
    sources: tuple[Source, ...] = ()


@dataclass
class Pages:
    """What the browser is shown, shared by the build loop and the server's threads.

    `version` counts the builds that ended (a failed one too); `error` is the
    last build's problems, or empty when it succeeded; `pages` are those of the
    last good build.
    """

    title: str = ""
    version: int = 0
    pages: list[Page] = field(default_factory=list)
    error: str = ""
    line: str = "构建中… (building…)"
    changed: threading.Condition = field(default_factory=threading.Condition)

    def show(self, pages: list[Page] | None, error: str, line: str, title: str = "") -> None:
        """A build ended: its pages (None: keep the last good ones), its error and its line; wake the waiting."""
        with self.changed:
            self.version += 1
            if pages is not None:
                self.pages = pages
            self.error, self.line, self.title = error, line, title or self.title
            self.changed.notify_all()

    def status(self, after: int | None = None, wait: float = WAIT_SECONDS) -> dict:
        """The state as JSON data; with `after`, once a build after that version ended (or `wait` passed)."""
        with self.changed:
            if after is not None:
                self.changed.wait_for(lambda: self.version != after, timeout=wait)
            return {"version": self.version, "title": self.title, "error": self.error, "line": self.line,
                    "pages": [{"label": page.label, "image": f"/pages/{index}.png?v={page.version}",
                               "sources": [source.as_json() for source in page.sources]}
                              for index, page in enumerate(self.pages, start=1)]}

    def image(self, number: int) -> Page | None:
        with self.changed:
            return self.pages[number - 1] if 0 < number <= len(self.pages) else None


def drawn(built: Built, before: list[Page], version: int, dpi: int) -> list[Page]:
    """The pages of a build's PDF, labelled, with their sources; a page whose drawing is the same as the one at
    its place before keeps its image (and version), the others are rendered at `dpi`."""
    import pypdfium2
    from pypdf import PdfReader

    reader = PdfReader(built.path)
    labels = list(reader.page_labels)
    prints = fingerprints(reader, dpi)
    sources = page_sources(built)
    pages = []
    document = pypdfium2.PdfDocument(built.path)
    try:
        for index, fingerprint in enumerate(prints):
            old = before[index] if index < len(before) else None
            if old is not None and old.fingerprint == fingerprint:
                png, made = old.png, old.version
            else:
                png, made = rendered(document[index], dpi), version
            label = labels[index] if index < len(labels) else str(index + 1)
            pages.append(Page(label, png, made, fingerprint, sources[index] if index < len(sources) else ()))
    finally:
        document.close()
    return pages


def rendered(page, dpi: int) -> bytes:
    """A PDFium page as PNG bytes at `dpi` (fast compression: the image travels to a browser on this machine)."""
    stream = io.BytesIO()
    page.render(scale=dpi / 72).to_pil().save(stream, "PNG", compress_level=1)
    return stream.getvalue()


def fingerprints(reader, dpi: int) -> list[str]:
    """For each page of a pypdf reader, a hash of what draws it: its size, content stream and resources (fonts
    by name without their subset tag, since a subset grows with every new character of the issue while the
    glyphs a page uses stay the same; images and forms by their data)."""
    prints = []
    for page in reader.pages:
        digest = hashlib.sha256(f"{dpi} {[float(x) for x in page.mediabox]}".encode())
        contents = page.get_contents()
        digest.update(contents.get_data() if contents is not None else b"")
        digest.update(described(page.get("/Resources"), set()).encode())
        prints.append(digest.hexdigest())
    return prints


def described(value, seen: set[int], key: str = "") -> str:
    """A PDF object as text for `fingerprints`: dictionaries and arrays in full, streams by their data's hash, a
    font by its name alone."""
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, StreamObject

    if isinstance(value, IndirectObject):
        if value.idnum in seen:  # a cycle (a form's resources naming the page's)
            return f"@{value.idnum}"
        seen = seen | {value.idnum}
        value = value.get_object()
    if isinstance(value, DictionaryObject) and value.get("/Type") == "/Font":
        return re.sub(r"^/[A-Z]{6}\+", "/", str(value.get("/BaseFont", "")))
    if isinstance(value, StreamObject):
        data = hashlib.sha256(value.get_data()).hexdigest()
        return f"stream {data} {described(DictionaryObject(value), seen)}"
    if isinstance(value, DictionaryObject):
        return "{" + " ".join(f"{name} {described(item, seen, name)}" for name, item in sorted(value.items())
                              if name not in ("/Length", "/Filter", "/DecodeParms")) + "}"
    if isinstance(value, ArrayObject):
        return "[" + " ".join(described(item, seen) for item in value) + "]"
    return str(value)


def page_sources(built: Built) -> list[tuple[Source, ...]]:
    """For each laid-out page, the files whose content stands on it (the editor's note's, the articles'), each at
    the line of its title when the title is there, else at the first source line of its blocks there; the front
    pages (cover, contents) name issue.yaml first."""
    articles = {piece.ident: piece for piece in built.issue.pieces}
    found = []
    for index, page in enumerate(built.layout.document.pages):
        lines: dict[str, int] = {}
        for box in page._page_box.descendants(placeholders=True):
            ident = box.element.get("id") if getattr(box, "element", None) is not None else None
            if ident in articles:
                lines.setdefault(ident, 0)
            elif ident and (block := ids.block_source(ident)) and block[0] in articles:
                known = lines.get(block[0]) or block[1]
                lines[block[0]] = min(known, block[1])
        on_page = tuple(Source(articles[ident].path, articles[ident].title_line
                               if built.layout.page_of(ident) == index or not line else line)
                        for ident, line in lines.items())
        if index < built.layout.first_body_page:
            on_page = (Source(built.issue.folder / FRONT_SOURCE), *on_page)
        found.append(on_page)
    return found


def follower(pages: Pages, dpi: int, say: Callable[[str], None]) -> Callable[[Built | Failed], None]:
    """What the build loop calls after each build: draw the pages, or show the failure over the last good ones."""

    def done(outcome: Built | Failed) -> None:
        if isinstance(outcome, Failed):
            pages.show(None, outcome.message, f"{clock()} 构建失败，显示上次成功的页面 (build failed; the pages "
                                              "shown are those of the last good build)")
            return
        try:
            made = drawn(outcome, pages.pages, pages.version + 1, dpi)
        except Exception as error:  # a page PDFium cannot draw: said on the page, the server goes on
            from press.errors import internal_error

            say(f"{clock()} {internal_error(error)}")
            pages.show(None, internal_error(error), f"{clock()} 页面图像无法生成 (the pages could not be drawn)")
            return
        issue = outcome.issue
        pages.show(made, "", f"{clock()} {outcome.line}", f"{issue.settings.title} {issue.label_zh}")

    return done


class Handler(BaseHTTPRequestHandler):
    """Answers GET and HEAD for `/`, `/status` and `/pages/N.png`; 404 for anything else."""

    pages: Pages
    server_version = "press-serve"

    def do_GET(self) -> None:
        self.answer(with_body=True)

    def do_HEAD(self) -> None:
        self.answer(with_body=False)

    def answer(self, with_body: bool) -> None:
        """Send the page, the status or an image; 403 for another host, 404 for any other path."""
        if not self.from_this_machine():
            self.send(HTTPStatus.FORBIDDEN, "text/plain; charset=utf-8", b"forbidden\n", with_body)
            return
        url = urlsplit(self.path)
        if url.path == "/":
            self.send(HTTPStatus.OK, "text/html; charset=utf-8", PAGE_FILE.read_bytes(), with_body)
        elif url.path == "/status":
            after = parse_qs(url.query).get("after", [""])[0]
            status = self.pages.status(int(after) if after.isdigit() else None)
            self.send(HTTPStatus.OK, "application/json", json.dumps(status, ensure_ascii=False).encode(), with_body)
        elif (match := PAGE_IMAGE.match(url.path)) and (page := self.pages.image(int(match.group(1)))):
            fresh = parse_qs(url.query).get("v", [""])[0] == str(page.version)
            self.send(HTTPStatus.OK, "image/png", page.png, with_body,
                      "public, max-age=31536000, immutable" if fresh else "no-store")
        else:
            self.send(HTTPStatus.NOT_FOUND, "text/plain; charset=utf-8", b"not found\n", with_body)

    def from_this_machine(self) -> bool:
        """Whether the request names this server by its loopback address or localhost (no rebinding)."""
        host = (self.headers.get("Host") or "").rsplit(":", 1)[0]
        return host in (HOST, "localhost", "")

    def send(self, status: HTTPStatus, content_type: str, body: bytes, with_body: bool,
             cache: str = "no-store") -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", cache)
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        if with_body:
            self.wfile.write(body)

    def log_message(self, format: str, *args) -> None:
        """Quiet: the terminal shows the builds, not every request."""


def server(pages: Pages, port: int) -> ThreadingHTTPServer:
    """An HTTP server for `pages` on 127.0.0.1:`port` (0: any free port); PortInUse if it cannot listen."""
    handler = type("PagesHandler", (Handler,), {"pages": pages})
    try:
        made = ThreadingHTTPServer((HOST, port), handler)
    except OSError as error:
        raise PortInUse(f"无法在 {HOST}:{port} 上提供服务：{error.strerror or error} (cannot listen on "
                        f"{HOST}:{port}: {error.strerror or error}; is another press serve running? choose "
                        "another port with --port, or --port 0 for any free one)") from None
    made.daemon_threads = True
    return made


def serve(folder: Path, output: Path | None, port: int, dpi: int, say: Callable[[str], None],
          listening: Callable[[str], None] = lambda url: None, draft: bool = False) -> None:
    """Serve the issue's pages on 127.0.0.1:`port` and rebuild on every save until Ctrl-C (KeyboardInterrupt);
    each build a draft if `draft`.

    `listening` is told the page's URL once the server listens, before the first build.
    """
    from press.watch import watch

    pages = Pages()
    http = server(pages, port)
    thread = threading.Thread(target=http.serve_forever, name="press-serve", daemon=True)
    thread.start()
    try:
        listening(f"http://{HOST}:{http.server_address[1]}/")
        watch(folder, output, say, done=follower(pages, dpi, say), draft=draft)
    finally:
        http.shutdown()
        http.server_close()
