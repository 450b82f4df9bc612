"""press serve: a real server process, looked at in a real browser (Debian's Chromium driven by Playwright)
while its issue is edited, broken and mended; and over plain HTTP for what it must refuse."""

import http.client
import os
import queue
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tests.conftest import article

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ROOT = Path(__file__).resolve().parent.parent
PRESS = {**os.environ, "PYTHONPATH": str(ROOT)}  # this press, run from another working folder
SET_UP = "run `bash .ci/setup --tests` (it installs Debian's chromium and Playwright for Python)"
NOTE = "::: 编者按\n编者按的文字。\n:::\n\n"


class Served:
    """`press serve` in its own process on a free port; its report lines are read as they come."""

    def __init__(self, folder: Path, output: Path, *options: str):
        self.process = subprocess.Popen(
            [sys.executable, "-m", "press", "serve", str(folder), "-o", str(output), "--port", "0", *options],
            stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True, encoding="utf-8", cwd=folder.parent.parent,
            env=PRESS)
        self.lines: queue.Queue[str] = queue.Queue()
        self.said: list[str] = []
        threading.Thread(target=self.read, daemon=True).start()
        first = self.next_line()
        found = re.search(r"http://127\.0\.0\.1:(\d+)/", first)
        assert found, first
        self.url, self.port = found.group(), int(found.group(1))

    def read(self) -> None:
        for line in self.process.stderr:
            self.said.append(line)
            self.lines.put(line)

    def next_line(self, timeout: float = 60) -> str:
        try:
            return self.lines.get(timeout=timeout)
        except queue.Empty:
            raise AssertionError(f"press serve said nothing in {timeout} s: {''.join(self.said)}") from None

    def next_build(self) -> str:
        while "已生成" not in (line := self.next_line()) and "构建失败" not in line:
            pass
        return line

    def stop(self) -> int:
        """Ctrl-C, as in a terminal; the exit status."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
        return self.process.wait(timeout=30)


@pytest.fixture
def served(make_issue, tmp_path):
    folder = make_issue({"01-a.md": article("甲文", NOTE + "第一篇的正文。" * 40, extra="highlight: true\n"),
                         "02-b.md": article("乙文", "第二篇的正文。" * 40, section="战略规划")})
    server = Served(folder, tmp_path / "served.pdf")
    assert "已生成" in server.next_build()
    yield server, folder
    server.stop()


@pytest.fixture(scope="module")
def browser():
    """Headless Chromium from Debian, driven by Playwright (never a browser Playwright downloads)."""
    if not CHROMIUM.is_file():
        pytest.fail(f"{CHROMIUM} is missing: {SET_UP}", pytrace=False)
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail(f"Playwright for Python is missing: {SET_UP}", pytrace=False)
    with sync_playwright() as driver:
        # not press's own fontconfig file (press/__init__.py), which would leave the browser no fonts
        system = {name: value for name, value in os.environ.items() if name != "FONTCONFIG_FILE"}
        launched = driver.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, env=system)
        yield launched
        launched.close()


def shown(page) -> list[dict]:
    """What the browser shows of each page: its label, its image's URL and pixel width, its source links."""
    return page.eval_on_selector_all("figure.page", """figures => figures.map(figure => ({
        label: figure.querySelector('.label').textContent,
        image: figure.querySelector('img').getAttribute('src'),
        width: figure.querySelector('img').naturalWidth,
        sources: [...figure.querySelectorAll('.sources a')].map(link => link.textContent)}))""")


def pdf_labels(pdf: Path) -> list[str]:
    from pypdf import PdfReader

    return list(PdfReader(pdf).page_labels)


def wait_for_version_after(page, version: int) -> None:
    page.wait_for_function(f"Number(document.body.dataset.version) > {version}", timeout=20_000)
    page.wait_for_function("[...document.images].every(image => image.complete && image.naturalWidth > 0)",
                           timeout=20_000)


def test_the_browser_shows_the_labelled_pages_and_follows_each_save_a_break_and_its_mending(served, browser,
                                                                                            tmp_path):
    server, folder = served
    page = browser.new_page()
    page.goto(server.url)
    page.wait_for_function("document.body.dataset.version >= 1 && document.images.length > 0"
                           " && [...document.images].every(image => image.complete && image.naturalWidth > 0)")
    page.evaluate("window.notReloaded = true")
    first = shown(page)
    labels = [entry["label"] for entry in first]
    assert labels == pdf_labels(tmp_path / "served.pdf") and labels[:3] == ["封面", "目录", "1"]
    assert all(entry["width"] > 300 for entry in first)  # A4 at 80 dpi: 661 pixels
    assert first[0]["sources"][0].endswith("issue.yaml")
    assert [source for source in first[2]["sources"] if "01-a.md" in source] == ["issues/2024-05/01-a.md:2"]
    assert any("02-b.md" in source for entry in first[2:] for source in entry["sources"])
    assert page.is_hidden("#error")

    version = int(page.evaluate("document.body.dataset.version"))
    saved = time.perf_counter()
    (folder / "02-b.md").write_text(article("乙文", "改过的第二篇。" * 60, section="战略规划"), encoding="utf-8")
    wait_for_version_after(page, version)
    print(f"save → new images in the browser: {time.perf_counter() - saved:.2f} s")
    edited = shown(page)
    assert [entry["image"] for entry in edited] != [entry["image"] for entry in first]
    assert edited[0]["image"] == first[0]["image"]  # the cover did not change: its image is not drawn again
    assert len(edited) == len(pdf_labels(tmp_path / "served.pdf"))

    version = int(page.evaluate("document.body.dataset.version"))
    good = (folder / "01-a.md").read_text(encoding="utf-8")
    (folder / "01-a.md").write_text(good.replace(NOTE, "::: 编者按\n编者按的文字。\n\n"), encoding="utf-8")
    page.wait_for_function(f"Number(document.body.dataset.version) > {version}", timeout=20_000)
    assert page.is_visible("#error")
    error = page.inner_text("#error")
    line = good.splitlines().index("::: 编者按") + 1
    assert f"issues/2024-05/01-a.md:{line}:1: ::: 编者按 没有结束的 :::" in error, error
    assert shown(page) == edited  # the last good pages stay

    version = int(page.evaluate("document.body.dataset.version"))
    (folder / "01-a.md").write_text(good.replace("第一篇的正文。", "第一篇改过的正文。", 1), encoding="utf-8")
    wait_for_version_after(page, version)
    assert page.is_hidden("#error")
    mended = shown(page)
    assert mended[2]["image"] != edited[2]["image"]
    assert "已生成" in page.inner_text("#line")
    assert page.evaluate("window.notReloaded") is True  # every change came without a reload
    page.close()


def request(port: int, path: str, method: str = "GET", host: str | None = None) -> tuple[int, bytes]:
    """A raw HTTP request, the path sent as written (no client tidies `..` away)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
        connection.putheader("Host", host or f"127.0.0.1:{port}")
        connection.endheaders()
        answer = connection.getresponse()
        return answer.status, answer.read()
    finally:
        connection.close()


def test_only_the_page_its_status_and_the_page_images_are_served_on_127_0_0_1_only(served):
    server, folder = served
    status, page = request(server.port, "/")
    assert status == 200 and b"/status?after=" in page
    assert request(server.port, "/status?after=0")[0] == 200  # once the first build's pages are drawn
    assert request(server.port, "/pages/1.png")[1].startswith(b"\x89PNG")
    for path in ("/../../etc/passwd", "/..%2f..%2fetc%2fpasswd", "/issue.yaml", "/01-a.md", "/issues/2024-05/01-a.md",
                 "/pages/0.png", "/pages/99.png", "/pages/../issue.yaml", "/pages/1.png/../../01-a.md",
                 f"/{folder}/01-a.md", "/serve.html", "//etc/passwd", "/status/x"):
        assert request(server.port, path)[0] == 404, path
    assert request(server.port, "/", method="POST")[0] == 501
    assert request(server.port, "/", host="attacker.example")[0] == 403  # a DNS rebinding
    with pytest.raises(ConnectionRefusedError):  # loopback too, but not the address it listens on
        socket.create_connection(("127.0.0.2", server.port), timeout=5).close()
    status = server.stop()
    said = "".join(server.said)
    assert status == 0 and "已停止 (stopped)" in said and "Traceback" not in said


def test_a_port_in_use_is_a_clear_message_and_exit_2(make_issue, tmp_path):
    folder = make_issue({"01-a.md": article("甲文", "正文。")})
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run([sys.executable, "-m", "press", "serve", str(folder), "--port", str(port)],
                                capture_output=True, text=True, timeout=60, cwd=tmp_path, env=PRESS)
    assert result.returncode == 2, result.stderr
    assert f"cannot listen on 127.0.0.1:{port}" in result.stderr and "--port" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "dist").exists()  # nothing was built


def test_each_page_names_the_files_of_what_it_shows(sample_build):
    from press.serve import page_sources

    sources = page_sources(sample_build)
    layout, issue = sample_build.layout, sample_build.issue
    assert len(sources) == len(layout.document.pages)
    assert all(on_page[0].path.name == "issue.yaml" for on_page in sources[:layout.first_body_page])
    for article_ in issue.articles:
        title_page = layout.page_of(article_.ident)
        assert (article_.path, article_.title_line) in [(source.path, source.line) for source in sources[title_page]]
    for index in range(layout.first_body_page, len(sources)):
        assert sources[index], f"page {index + 1} names no source"


def test_a_status_request_waits_for_the_next_build_and_no_longer():
    from press.serve import Pages

    pages = Pages()
    started = time.perf_counter()
    assert pages.status(after=0, wait=0.2)["version"] == 0
    assert time.perf_counter() - started >= 0.2
    threading.Timer(0.1, lambda: pages.show([], "a.md:1:1: 错误", "构建失败")).start()
    answer = pages.status(after=0, wait=20)
    assert answer["version"] == 1 and answer["error"] == "a.md:1:1: 错误"
    assert time.perf_counter() - started < 5


def test_an_unchanged_page_keeps_its_fingerprint_and_a_changed_one_does_not(make_issue, tmp_path):
    from pypdf import PdfReader

    from press.build import build
    from press.serve import fingerprints

    folder = make_issue({"01-a.md": article("甲文", "正文。" * 200), "02-b.md": article("乙文", "正文。" * 200)})
    before = fingerprints(PdfReader(build(folder, tmp_path / "a.pdf").path), 80)
    (folder / "02-b.md").write_text(article("乙文", "改过的正文，多了些新字：氢能燃料电池。" * 200), encoding="utf-8")
    after = fingerprints(PdfReader(build(folder, tmp_path / "b.pdf").path), 80)
    assert before[0] == after[0]  # the cover
    assert before[-1] != after[-1]
    assert fingerprints(PdfReader(tmp_path / "a.pdf"), 80) == before
    assert fingerprints(PdfReader(tmp_path / "a.pdf"), 150) != before


@pytest.mark.parametrize("section_break", ["run-on", "page"])
def test_the_editors_note_s_page_names_its_file(make_issue, tmp_path, section_break):
    from press.build import build
    from press.serve import page_sources
    from tests.conftest import with_editor_note

    make_issue.use_sample_settings(f"section_break: {section_break}\n")
    built = build(with_editor_note(make_issue.copy_sample()), tmp_path / "note.pdf")
    note = built.issue.note
    on_its_page = page_sources(built)[built.layout.page_of(note.ident)]
    assert (note.path, note.title_line) in [(source.path, source.line) for source in on_its_page]
