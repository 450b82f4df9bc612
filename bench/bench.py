"""Benchmark: press against a naive WeasyPrint render of the same HTML, on the sample and larger issues.

Run from the repository's root (after `bash .ci/setup`):

    .venv/bin/python bench/bench.py                  # sample: 5 runs each; 4× and 16× issues: 3 runs
    .venv/bin/python bench/bench.py --runs 7 --scales 1,4

Every figure is a median over the runs, and every ratio compares figures
measured in the same run of this script on the same machine.  Cold builds
are new processes (`python -m press build`), timed from start to exit, with
the process's peak resident memory from wait4().  The naive baseline is one
`HTML(...).write_pdf()` of the HTML press renders for the issue, with the same
stylesheet and fonts, in a new process: plain WeasyPrint, no justification
adapter, no footnote verification, no page labels.  The watch figure is the
time from saving an edited article to `press watch` (a separate process)
reporting the new PDF renamed into place.  The archive figure builds several
sample-sized issues with `press build`, one at a time and then on every core.
"""

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "issues" / "2024-04"
NAIVE = """
import sys
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
fonts = FontConfiguration()
css = CSS(filename=sys.argv[2], font_config=fonts)
HTML(filename=sys.argv[1]).write_pdf(sys.argv[3], stylesheets=[css], font_config=fonts)
"""


def timed_process(command: list[str], cwd: Path = ROOT) -> tuple[float, float]:
    """Run a command; return its wall seconds and peak memory in MB (of that process alone)."""
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed: {' '.join(command)}\n{process.stderr.read().decode()}")
    return seconds, usage.ru_maxrss / 1024


def median_of(runs: int, action) -> tuple[float, float]:
    """Medians of (seconds, megabytes) over `runs` calls of `action`."""
    results = [action() for _ in range(runs)]
    return statistics.median(r[0] for r in results), statistics.median(r[1] for r in results)


def sample_settings(issues: Path) -> None:
    """The sample's newsletter.yaml in `issues/`, pointing at this repository's styles and fonts."""
    shutil.copy(SAMPLE.parent / "newsletter.yaml", issues / "newsletter.yaml")
    with (issues / "newsletter.yaml").open("a", encoding="utf-8") as settings:
        settings.write(f"styles_dir: {ROOT / 'styles'}\nfonts_dir: {ROOT / 'fonts'}\n")


def scaled_issue(work: Path, factor: int) -> Path:
    """A copy of the sample whose every article stands `factor` times (sections stay together)."""
    issues = work / f"issues-{factor}x"
    folder = issues / "2024-04"
    shutil.copytree(SAMPLE, folder)
    sample_settings(issues)
    listed = []
    for path in sorted(SAMPLE.glob("*.md")):
        for copy in range(factor):
            name = path.name if copy == 0 else f"{path.stem}-{copy}.md"
            if copy:  # more articles, not more highlights: the cover holds the sample's
                text = path.read_text(encoding="utf-8").replace("highlight: true\n", "")
                (folder / name).write_text(text, encoding="utf-8")
            listed.append(name)
    (folder / "issue.yaml").write_text("year: 2024\nnumber: 4\ndate: 2024-04-01\narticles:\n"
                                       + "".join(f"  - {name}\n" for name in listed), encoding="utf-8")
    return folder


def naive_inputs(folder: Path, work: Path) -> tuple[Path, Path]:
    """The HTML press renders for the issue and a stylesheet with plain file URLs for the fonts."""
    sys.path.insert(0, str(ROOT))
    from press.load import load_issue
    from press.render import render_html

    issue = load_issue(folder)
    html = work / f"{folder.parent.name}.html"
    html.write_text(render_html(issue).replace("<head>", f'<head><base href="{folder.as_uri()}/">'),
                    encoding="utf-8")
    style = issue.settings.style_dir / "style.css"
    css = work / f"{folder.parent.name}.css"
    text = style.read_text(encoding="utf-8").replace('url("font:', f'url("{issue.settings.fonts_dir.as_uri()}/')
    css.write_text(text.replace('url("footnote-rule.svg")', f'url("{(style.parent / "footnote-rule.svg").as_uri()}")'),
                   encoding="utf-8")
    return html, css


def pages_of(pdf: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(str(pdf)).pages)


def watch_rebuilds(folder: Path, work: Path, runs: int) -> float:
    """Median seconds from saving an edited article to `press watch` reporting the new PDF on disk."""
    output = work / "watched.pdf"
    watcher = subprocess.Popen([sys.executable, "-m", "press", "watch", str(folder), "-o", str(output)],
                               cwd=ROOT, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True,
                               encoding="utf-8")
    article = folder / "06-pet-recycling-report.md"
    original = article.read_text(encoding="utf-8")
    try:
        wait_for_build(watcher)  # the first build, in a cold process
        times = []
        for run in range(runs):
            time.sleep(0.3)  # an editor does not save twice within a poll
            before = output.stat().st_mtime_ns
            article.write_text(original + f"\n编辑后的第 {run + 1} 次修改。\n", encoding="utf-8")
            saved = time.perf_counter()
            wait_for_build(watcher)
            times.append(time.perf_counter() - saved)
            assert output.stat().st_mtime_ns != before, "the watcher reported a build but the PDF is unchanged"
    finally:
        watcher.terminate()
        watcher.wait()
        article.write_text(original, encoding="utf-8")
    return statistics.median(times)


def wait_for_build(watcher: subprocess.Popen) -> None:
    """Read the watcher's report until a build ends; a failed build stops the benchmark."""
    for line in watcher.stderr:
        if "已生成" in line:
            return
        if "构建失败" in line or "内部错误" in line:
            raise SystemExit(f"press watch failed: {line}{watcher.stderr.readline()}")
    raise SystemExit("press watch ended")


def archive_builds(work: Path, issues: int) -> tuple[float, float]:
    """Seconds to build `issues` copies of the sample with `press build` one at a time and on every core."""
    archive = work / "archive"
    folders = []
    for number in range(1, issues + 1):
        folder = archive / "issues" / f"2024-{number:02d}"
        shutil.copytree(SAMPLE, folder)
        listing = (folder / "issue.yaml").read_text(encoding="utf-8")
        (folder / "issue.yaml").write_text(listing.replace("number: 4", f"number: {number}"), encoding="utf-8")
        folders.append(str(folder))
    sample_settings(archive / "issues")
    command = [sys.executable, "-m", "press", "build", "-q", *folders]
    one, _ = timed_process([*command, "-j", "1"], cwd=archive)  # the PDFs go to archive/dist/
    every, _ = timed_process(command, cwd=archive)
    return one, every


def measure(folder: Path, work: Path, runs: int, warm: bool) -> dict:
    """Every figure for one issue folder."""
    press_pdf, naive_pdf = work / f"{folder.parent.name}-press.pdf", work / f"{folder.parent.name}-naive.pdf"
    build = [sys.executable, "-m", "press", "build", "-q", str(folder), "-o", str(press_pdf)]
    html, css = naive_inputs(folder, work)
    naive = [sys.executable, "-c", NAIVE, str(html), str(css), str(naive_pdf)]
    press_seconds, press_mb = median_of(runs, lambda: timed_process(build))
    naive_seconds, naive_mb = median_of(runs, lambda: timed_process(naive))
    figures = {"press_s": press_seconds, "press_mb": press_mb, "naive_s": naive_seconds, "naive_mb": naive_mb,
               "pages": pages_of(press_pdf), "naive_pages": pages_of(naive_pdf),
               "bytes": press_pdf.stat().st_size, "naive_bytes": naive_pdf.stat().st_size}
    if warm:
        figures["watch_s"] = watch_rebuilds(folder, work, runs)
    return figures


def describe(factor: int, runs: int, figures: dict) -> str:
    """One line of results for one issue size."""
    line = (f"{factor:>3}× ({runs} runs): press {figures['press_s']:.2f} s, {figures['press_mb']:.0f} MB, "
            f"{figures['pages']} pages, {figures['bytes'] / 1024:.0f} KB | naive WeasyPrint "
            f"{figures['naive_s']:.2f} s, {figures['naive_mb']:.0f} MB, {figures['naive_pages']} pages, "
            f"{figures['naive_bytes'] / 1024:.0f} KB | naive/press time {figures['naive_s'] / figures['press_s']:.2f}")
    if "watch_s" in figures:
        line += f" | press watch, save → PDF on disk {figures['watch_s']:.2f} s"
    return line


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="runs per figure on the sample (median)")
    parser.add_argument("--scale-runs", type=int, default=3, help="runs per figure on the larger issues")
    parser.add_argument("--scales", default="1,4,16", help="issue sizes as multiples of the sample")
    parser.add_argument("--archive", type=int, default=6, help="issues in the archive build (0: skip)")
    arguments = parser.parse_args()
    print(f"{time.strftime('%Y-%m-%d')} · {platform.node()} · {platform.processor() or platform.machine()} · "
          f"{os.cpu_count()} cores · Python {platform.python_version()}")
    results = {}
    with tempfile.TemporaryDirectory() as temporary:
        work = Path(temporary)
        for factor in (int(part) for part in arguments.scales.split(",")):
            folder = scaled_issue(work, factor)
            runs = arguments.runs if factor == 1 else arguments.scale_runs
            results[factor] = figures = measure(folder, work, runs, warm=factor == 1)
            print(describe(factor, runs, figures), flush=True)
        if arguments.archive:
            one, every = archive_builds(work, arguments.archive)
            print(f"archive of {arguments.archive} sample-sized issues: press build -j 1 {one:.1f} s, "
                  f"on {os.cpu_count()} cores {every:.1f} s (×{one / every:.2f})", flush=True)
    if 1 in results:
        base = results[1]
        for factor, figures in results.items():
            if factor != 1:
                time_growth = figures["press_s"] / base["press_s"]
                memory_growth = figures["press_mb"] / base["press_mb"]
                print(f"growth 1× → {factor}×: time ×{time_growth:.1f}, memory ×{memory_growth:.1f}, "
                      f"pages ×{figures['pages'] / base['pages']:.1f}")


if __name__ == "__main__":
    main()
