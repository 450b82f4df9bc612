"""Benchmark: press against a naive WeasyPrint render of the same HTML, on the sample and larger issues.

Run from the repository's root (after `bash .ci/setup`):

    .venv/bin/python bench/bench.py                  # sample: 5 runs each; 4× and 16× issues: 3 runs
    .venv/bin/python bench/bench.py --runs 7 --scales 1,4
    .venv/bin/python bench/bench.py --scales "" --archive 0 --paragraph 1,10,100 --notes 10,100  # growth only
    .venv/bin/python bench/bench.py --scales "" --archive 0 --paragraph "" --notes "" --typography  # layout only

Every figure is a median over the runs, and every ratio compares figures
measured in the same run of this script on the same machine; press, the
naive baseline and press check run in turn, run after run (interleaved), so
that a machine that slows down weighs on all three alike.  Cold builds
are new processes (`python -m press build`), timed from start to exit, with
the process's peak resident memory from wait4().  The naive baseline is one
`HTML(...).write_pdf()` of the HTML press renders for the issue, with the same
stylesheet and fonts, in a new process: plain WeasyPrint, no justification
adapter, no footnote verification, no page labels.  `press check --issue` of
the PDF press built is timed the same way.  The watch figure is the
time from saving an edited article to `press watch` (a separate process)
reporting the new PDF renamed into place.  The archive figure builds several
sample-sized issues with `press build`, one at a time and then on every core.

The growth figures build one-article issues in new processes: one paragraph of
N KB of text (Chinese prose with Latin words and numbers; with `--texts`, also
one unbroken ACGT sequence, or `*`s, 甲 and `_`s, an input no word processor
breaks), and N footnotes (five calls to a paragraph, each note a source with a
URL).  Each is timed by the CPU seconds of its process (user + system, from
wait4(), so that other work on the machine counts less than in wall time): the
median of --growth-runs builds when one takes under 10 s, else one build.  An
"empty" issue of one sentence gives the fixed cost of a build (start, fonts,
cover), shown and subtracted: "per KB above empty" is (CPU − empty) ÷ KB.  The
growth is judged on the cost per unit from one size to the next, (CPU − the
smaller size's CPU) ÷ (KB − the smaller size's KB): linear growth means the
same figure at every step, and max/min of these figures is the spread (1.0:
exactly linear).  The first KB is left out of that ratio because it costs more
than growth: the Latin face and a larger glyph subset that one sentence of Han
does not need, and a second page; its 10–50 ms are also within the noise of
one build.

The typography figures (`--typography`) hold the sample and every issue of
tests/corpus to press check's layout rules twice: as press builds it, and as plain
WeasyPrint lays out the same issue (press's pipeline with its Chinese text rules
and its line-fitting adapter switched off, as tests/test_typesetting.py's "raw"
builds), so that each rule's figure stands beside what WeasyPrint alone gives.
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
TYPOGRAPHY_RULES = ("justify", "punct-squeeze", "han-latin-gap", "line-break", "runt", "loose-line", "text-block",
                    "unit-break", "page-breaks", "overflow")
PLAIN_BUILD = """
import sys
from pathlib import Path
from press import justify, render
from press.build import build
justify.install = justify.uninstall
render.apply_text_rules = lambda html: html
build(Path(sys.argv[1]), Path(sys.argv[2]))
"""
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
    seconds, _, megabytes = run_process(command, cwd)
    return seconds, megabytes


def run_process(command: list[str], cwd: Path = ROOT) -> tuple[float, float, float]:
    """Run a command; return its wall seconds, CPU seconds (user + system) and peak memory in MB."""
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed: {' '.join(command)}\n{process.stderr.read().decode()}")
    return seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


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


def serve_updates(folder: Path, work: Path, runs: int) -> float:
    """Median seconds from saving an edited article to `press serve` answering /status with the new build and
    its changed page images fetched, as the browser's page does (over HTTP on 127.0.0.1)."""
    import json
    import re
    import urllib.request

    server = subprocess.Popen([sys.executable, "-m", "press", "serve", str(folder), "--port", "0", "-o",
                               str(work / "served.pdf")], cwd=ROOT, stderr=subprocess.PIPE,
                              stdout=subprocess.DEVNULL, text=True, encoding="utf-8")
    article = folder / "06-pet-recycling-report.md"
    original = article.read_text(encoding="utf-8")

    def status(after: int) -> dict:
        with urllib.request.urlopen(f"{url}status?after={after}", timeout=60) as answer:
            return json.load(answer)

    try:
        url = next(found.group() for line in server.stderr if (found := re.search(r"http://127\.0\.0\.1:\d+/", line)))
        state = status(-1)
        while not state["pages"]:  # the first build, in a cold process
            state = status(state["version"])
        shown = {page["image"] for page in state["pages"]}
        times = []
        for run in range(runs):
            time.sleep(0.3)
            article.write_text(original + f"\n编辑后的第 {run + 1} 次修改。\n", encoding="utf-8")
            saved = time.perf_counter()
            state = status(state["version"])
            if state["error"]:
                raise SystemExit(f"press serve failed: {state['error']}")
            for image in {page["image"] for page in state["pages"]} - shown:
                urllib.request.urlopen(url + image.lstrip("/"), timeout=60).read()
            times.append(time.perf_counter() - saved)
            shown = {page["image"] for page in state["pages"]}
    finally:
        server.terminate()
        server.wait()
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
    check = [sys.executable, "-m", "press", "check", str(press_pdf), "--issue", str(folder)]
    medians = interleaved(runs, {"press": build, "naive": naive, "check": check})
    figures = {"press_s": medians["press"][0], "press_mb": medians["press"][1],
               "naive_s": medians["naive"][0], "naive_mb": medians["naive"][1],
               "check_s": medians["check"][0], "check_mb": medians["check"][1],
               "pages": pages_of(press_pdf), "naive_pages": pages_of(naive_pdf),
               "bytes": press_pdf.stat().st_size, "naive_bytes": naive_pdf.stat().st_size}
    if warm:
        figures["watch_s"] = watch_rebuilds(folder, work, runs)
        figures["serve_s"] = serve_updates(folder, work, runs)
    return figures


def interleaved(runs: int, commands: dict[str, list[str]]) -> dict[str, tuple[float, float]]:
    """Medians of (seconds, megabytes) for each command, run in turn `runs` times (press, naive, check, press …),
    so that a machine slowing down or speeding up weighs on every command alike."""
    results: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, command in commands.items():
            results[name].append(timed_process(command))
    return {name: (statistics.median(r[0] for r in rows), statistics.median(r[1] for r in rows))
            for name, rows in results.items()}


def describe(factor: int, runs: int, figures: dict) -> str:
    """One line of results for one issue size."""
    line = (f"{factor:>3}× ({runs} runs): press {figures['press_s']:.2f} s, {figures['press_mb']:.0f} MB, "
            f"{figures['pages']} pages, {figures['bytes'] / 1024:.0f} KB | naive WeasyPrint "
            f"{figures['naive_s']:.2f} s, {figures['naive_mb']:.0f} MB, {figures['naive_pages']} pages, "
            f"{figures['naive_bytes'] / 1024:.0f} KB | naive/press time {figures['naive_s'] / figures['press_s']:.2f}"
            f" | press check --issue {figures['check_s']:.2f} s, {figures['check_mb']:.0f} MB "
            f"(check/build {figures['check_s'] / figures['press_s']:.2f})")
    if "watch_s" in figures:
        line += f" | press watch, save → PDF on disk {figures['watch_s']:.2f} s"
    if "serve_s" in figures:
        line += f" | press serve, save → new page images served {figures['serve_s']:.2f} s"
    return line


# Growth with the text --------------------------------------------------------------------------------

SENTENCES = ("3 月 15 日，美国能源部（DOE）宣布投入 2.5 亿美元支持电池回收研究。",
             "该计划由 NREL 牵头，覆盖材料合成、涂层、干燥和质量控制等环节；",
             "研究人员利用 AI 与机器学习方法，将表征时间缩短了约 40%，",
             "并在 Nature Materials 上发表了相关成果。",
             "据统计，2023 年全球半导体销售额达到 5268 亿美元，同比下降 8.2%，",
             "其中存储芯片的降幅最大——超过 30%。",
             "专家认为，“二维材料”有望在未来 5 至 10 年内实现规模化应用……",
             "此外，欧盟《关键原材料法案》（CRMA）明确提出了回收率目标。")
GROWTH_REPEAT_BELOW = 10.0  # seconds: a build this quick is repeated, a slower one runs once


def prose(size: int) -> str:
    """Chinese prose of at least `size` UTF-8 bytes: punctuation, Latin words, numbers, one paragraph."""
    sentences, length = [], 0
    while length < size:
        sentence = SENTENCES[len(sentences) % len(SENTENCES)]
        sentences.append(sentence)
        length += len(sentence.encode())
    return "".join(sentences)


TEXTS = {
    "prose": prose,
    "gene": lambda size: "序列：" + "ACGT" * (size // 4),  # one string with no break opportunity
    "marks": lambda size: "*" * (size // 2) + "甲" + "_" * (size // 2),  # Markdown marks that pair with nothing
}


def notes_body(count: int) -> str:
    """`count` footnotes: five calls to a paragraph, each note a source with a URL."""
    calls = [f"第 {number} 项研究由 NREL 与 ANL 合作完成，经费约 {number * 3} 万美元。[^{number}]"
             for number in range(1, count + 1)]
    paragraphs = ["".join(calls[start:start + 5]) for start in range(0, count, 5)]
    notes = [f"[^{number}]: Report {number} on Critical Materials, 2024. <https://example.org/reports/{number}>"
             for number in range(1, count + 1)]
    return "\n\n".join(paragraphs + notes)


def one_article_issue(work: Path, name: str, body: str) -> Path:
    """An issue folder holding one article with `body`, beside the sample's newsletter.yaml."""
    issues = work / name
    folder = issues / "2024-04"
    folder.mkdir(parents=True)
    sample_settings(issues)
    (folder / "a.md").write_text(f"---\ntitle: 长文本\nsection: 专题\n---\n\n{body}\n", encoding="utf-8")
    (folder / "issue.yaml").write_text("year: 2024\nnumber: 4\ndate: 2024-04-01\narticles:\n  - a.md\n",
                                       encoding="utf-8")
    return folder


def growth_build(folder: Path, runs: int) -> tuple[float, float, float]:
    """Medians of (wall seconds, CPU seconds, peak MB) of cold builds; a slow build runs once."""
    command = [sys.executable, "-m", "press", "build", "-q", str(folder), "-o", str(folder.parent / "out.pdf")]
    results = [run_process(command)]
    if results[0][0] < GROWTH_REPEAT_BELOW:
        results += [run_process(command) for _ in range(runs - 1)]
    return tuple(statistics.median(result[i] for result in results) for i in range(3))


def growth(work: Path, name: str, unit: str, sizes: list[int], body, runs: int, empty: float) -> None:
    """Build one issue per size, print a row each, then the spread of the cost per unit between sizes."""
    if not sizes:
        return
    print(f"\n{name}\n| {unit} | wall | CPU | CPU − empty | per {unit} above empty | per {unit} from the size before "
          "| peak memory |\n| --- | --- | --- | --- | --- | --- | --- |")
    previous, slopes = None, []
    for size in sizes:
        wall, cpu, megabytes = growth_build(one_article_issue(work, f"{name}-{size}", body(size)), runs)
        slope = "" if previous is None else f"{(cpu - previous[1]) / (size - previous[0]) * 1000:.2f} ms"
        if previous is not None:
            slopes.append((cpu - previous[1]) / (size - previous[0]))
        print(f"| {size:,} | {wall:.2f} s | {cpu:.2f} s | {cpu - empty:.2f} s | {(cpu - empty) / size * 1000:.2f} ms "
              f"| {slope} | {megabytes:.0f} MB |", flush=True)
        previous = size, cpu
    if len(slopes) > 1:
        print(f"CPU per {unit} from one size to the next, max/min over {sizes[0]:,} to {sizes[-1]:,}: "
              f"×{max(slopes) / min(slopes):.2f} (bar: within ×2)", flush=True)


def growth_section(work: Path, arguments) -> None:
    """Time per KB of one paragraph and per footnote, over sizes, above the fixed cost of an empty build."""
    _, empty, empty_mb = growth_build(one_article_issue(work, "empty", "一句话。"), arguments.growth_runs)
    print(f"\nempty build (one sentence): {empty:.2f} s CPU, {empty_mb:.0f} MB — subtracted below")
    for text in parts(arguments.texts, str):
        make = TEXTS[text]
        growth(work, f"one paragraph of {text}", "KB", parts(arguments.paragraph),
               lambda kb, make=make: make(kb * 1024), arguments.growth_runs, empty)
    growth(work, "footnotes", "note", parts(arguments.notes), notes_body, arguments.growth_runs, empty)


def typography_section(work: Path) -> None:
    """Each layout rule of press check on press's PDF and on plain WeasyPrint's, for the sample and the corpus."""
    sys.path.insert(0, str(ROOT))
    from press.check import check_pdf
    folders = [SAMPLE, *sorted(path.parent for path in (ROOT / "tests" / "corpus").glob("*/*/issue.yaml"))]
    print("\ntypography (press | plain WeasyPrint; a share or a count, bar in press check):")
    print("| issue | " + " | ".join(TYPOGRAPHY_RULES) + " |")
    for folder in folders:
        press_pdf, plain_pdf = work / f"{folder.parent.name}-t.pdf", work / f"{folder.parent.name}-plain.pdf"
        run_process([sys.executable, "-m", "press", "build", str(folder), "-o", str(press_pdf)])
        run_process([sys.executable, "-c", PLAIN_BUILD, str(folder), str(plain_pdf)])
        shown = [check_values(check_pdf(pdf, only=TYPOGRAPHY_RULES)) for pdf in (press_pdf, plain_pdf)]
        name = "sample" if folder == SAMPLE else folder.parent.name
        print(f"| {name} | " + " | ".join(f"{shown[0][rule]} \\| {shown[1][rule]}" for rule in TYPOGRAPHY_RULES)
              + " |", flush=True)


def check_values(report) -> dict[str, str]:
    """Rule id → its value as a table shows it (a share in %, else a count), ✗ when it misses its bar."""
    return {check.id: (f"{check.value:.0%}" if check.comparison == ">=" else f"{check.value:g}")
            + ("" if check.passed else " ✗") for check in report.checks}


def parts(listed: str, kind=int) -> list:
    """The comma-separated values of a flag ("" lists none)."""
    return [kind(part) for part in listed.split(",") if part.strip()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="runs per figure on the sample (median)")
    parser.add_argument("--scale-runs", type=int, default=3, help="runs per figure on the larger issues")
    parser.add_argument("--scales", default="1,4,16", help="issue sizes as multiples of the sample")
    parser.add_argument("--archive", type=int, default=6, help="issues in the archive build (0: skip)")
    parser.add_argument("--paragraph", default="1,10,100,1000,5000",
                        help='sizes in KB of the one-paragraph issues ("": skip; 5000 takes minutes)')
    parser.add_argument("--texts", default="prose", help="what the paragraph holds: prose, gene, marks")
    parser.add_argument("--notes", default="10,100,1000,2000", help='footnotes in the footnote issues ("": skip)')
    parser.add_argument("--growth-runs", type=int, default=5, help="runs per growth figure under 10 s (median)")
    parser.add_argument("--typography", action="store_true",
                        help="layout rules on the sample and the corpus, press beside plain WeasyPrint")
    arguments = parser.parse_args()
    print(f"{time.strftime('%Y-%m-%d')} · {platform.node()} · {platform.processor() or platform.machine()} · "
          f"{os.cpu_count()} cores · Python {platform.python_version()}")
    results = {}
    with tempfile.TemporaryDirectory() as temporary:
        work = Path(temporary)
        for factor in parts(arguments.scales):
            folder = scaled_issue(work, factor)
            runs = arguments.runs if factor == 1 else arguments.scale_runs
            results[factor] = figures = measure(folder, work, runs, warm=factor == 1)
            print(describe(factor, runs, figures), flush=True)
        if arguments.archive:
            one, every = archive_builds(work, arguments.archive)
            print(f"archive of {arguments.archive} sample-sized issues: press build -j 1 {one:.1f} s, "
                  f"on {os.cpu_count()} cores {every:.1f} s (×{one / every:.2f})", flush=True)
        if arguments.paragraph or arguments.notes:
            growth_section(work, arguments)
        if arguments.typography:
            typography_section(work)
    if 1 in results:
        base = results[1]
        for factor, figures in results.items():
            if factor != 1:
                time_growth = figures["press_s"] / base["press_s"]
                memory_growth = figures["press_mb"] / base["press_mb"]
                print(f"growth 1× → {factor}×: time ×{time_growth:.1f}, memory ×{memory_growth:.1f}, "
                      f"pages ×{figures['pages'] / base['pages']:.1f}, press check ×"
                      f"{figures['check_s'] / base['check_s']:.1f}")


if __name__ == "__main__":
    main()
