"""The command line: `press build`, `press --help`, `press --version`.

Only argument parsing and reporting live here; each command calls one stage.
User errors (bad input, a layout press cannot make right) print their
messages and exit with 2 or 1.  Anything else is a bug in press: the command
group (`PressGroup`) catches it once for every command and says so in one
line (exit 1); `--debug` shows its traceback instead.
"""

import signal
import sys
from pathlib import Path

import click

from press import __version__
from press.errors import InputError, PressError, display_path, internal_error


class PressGroup(click.Group):
    """The command group; Ctrl-C anywhere in a command (its imports too) ends with exit 130, not click's "Aborted!";
    an unexpected error in any command is reported once, here (see `internal`)."""

    def make_context(self, *args, **kwargs) -> click.Context:
        """Parse the command line; Ctrl-C pressed while it is parsed ends like Ctrl-C later."""
        try:
            return super().make_context(*args, **kwargs)
        except KeyboardInterrupt:
            interrupted()

    def invoke(self, context: click.Context):
        try:
            return super().invoke(context)
        except KeyboardInterrupt:
            interrupted()
        except (click.ClickException, click.exceptions.Exit, click.Abort):  # press's own messages, click's usage
            raise
        except Exception as error:
            if (context.obj or {}).get("debug"):
                raise
            raise internal(error, context.invoked_subcommand) from error


def internal(error: Exception, command: str | None) -> PressError:
    """The error press reports for a bug of its own (exit 1): what was raised, and how to see its traceback."""
    return PressError(f"{internal_error(error)}\n"
                      f"Run again with `press --debug {command or ''} …` for the traceback (and report it).")


def interrupted() -> None:
    """Say that Ctrl-C stopped press, and exit 130."""
    click.echo(INTERRUPTED, err=True)
    sys.exit(130)


INTERRUPTED = "已中断 (interrupted); nothing half-written is left (a PDF built before is unchanged)."


@click.group(cls=PressGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="press")
@click.option("--debug", is_flag=True, help="Show Python tracebacks of unexpected errors.")
@click.pass_context
def main(context: click.Context, debug: bool) -> None:
    """press — print-layout PDFs for Chinese periodicals.

    \b
    Example:
      press build issues/2024-04          → dist/<slug>-2024-04.pdf
      press build issues/2024-04 -o x.pdf
      press build --draft issues/2024-04  → every page marked 草稿 DRAFT, for proofreading
      press build --check issues/2024-04
      press watch issues/2024-04          → rebuilds on every save
      press serve issues/2024-04          → the pages in the browser, live
      press build issues/*                → every issue, on every core
      press preview issues/2024-04        → page images and a contact sheet
      press mail issues/2024-04           → the message as an .eml draft
      press check dist/materials-newsletter-2024-04.pdf --issue issues/2024-04
    """
    context.obj = {"debug": debug}
    signal.signal(signal.SIGTERM, terminated)


def terminated(signal_number: int, frame) -> None:
    """On SIGTERM, unwind like Ctrl-C does (a PDF being written is discarded), then exit 128 + 15."""
    raise SystemExit(128 + signal_number)


class OutputPath(click.Path):
    """A path to write to; an empty one is a usage error (it would stand for the working folder)."""

    def convert(self, value, param, ctx):
        if value == "":
            self.fail("an empty name names no file: give a path, e.g. -o out/快报.pdf", param, ctx)
        return super().convert(value, param, ctx)


def absolute(context: click.Context, parameter: click.Parameter, value):
    """An issue folder argument (or several) as absolute paths without `.` or `..` (see load.issue_folder)."""
    from press.sources import issue_folder, name_problem

    if value is None:
        return None
    for path in value if isinstance(value, tuple) else (value,):
        if reason := name_problem(str(path)):
            raise click.BadParameter(f"{path} cannot name a folder: {reason[1]}")
    return tuple(map(issue_folder, value)) if isinstance(value, tuple) else issue_folder(value)


DRAFT_HELP = ("Mark every page as a draft for proofreading (草稿 DRAFT and the build time, drawn, not text); "
              "press check says it is one, press mail --send refuses it.")


@main.command()
@click.argument("issues", nargs=-1, required=True, type=click.Path(path_type=Path), callback=absolute)
@click.option("-o", "--output", type=OutputPath(dir_okay=False, path_type=Path),
              help="Where to write the PDF (default: dist/<slug>-<year>-<number>.pdf); one issue only.")
@click.option("-q", "--quiet", is_flag=True, help="Print only errors and the path of each PDF made.")
@click.option("--check", "then_check", is_flag=True,
              help="Then run every check of `press check --issue` on the PDF (exit 1 if one fails; "
                   "with -q the report is printed only then).")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None,
              help="With several issues: how many to build at once (default: one per core).")
@click.option("--draft", is_flag=True, help=DRAFT_HELP)
def build(issues: tuple[Path, ...], output: Path | None, quiet: bool, then_check: bool, jobs: int | None,
          draft: bool) -> None:
    """Build the PDF of each ISSUE folder, e.g. issues/2024-04 (or issues/* on every core)."""
    folders = issue_folders(issues, quiet)
    if len(folders) > 1:
        if output is not None:
            raise click.UsageError("-o/--output names one PDF: give one issue, or leave -o out")
        build_many_issues(folders, quiet, then_check, jobs, draft)
        return
    issue = folders[0]
    from press.build import build as run_build

    say = (lambda message: None) if quiet else (lambda message: click.echo(message, err=True))
    built = run_build(issue, output, say, draft=draft)
    if not quiet:
        click.echo(built.line, err=True)
    click.echo(display_path(built.path))
    if then_check:
        from press.check import check_pdf, report_text

        report = check_pdf(built.path, issue=built.issue)
        if not (quiet and report.passed):
            click.echo(report_text(report), err=True)
        if not report.passed:
            sys.exit(1)


def issue_folders(paths: tuple[Path, ...], quiet: bool) -> list[Path]:
    """The issue folders among the arguments; with several (a shell glob), other entries are skipped."""
    paths = tuple(dict.fromkeys(paths))
    if len(paths) == 1:
        if paths[0].is_file():
            raise click.BadParameter(f"{paths[0]} is a file: give an issue folder", param_hint="ISSUES")
        return list(paths)
    if missing := [display_path(path) for path in paths if not path.exists()]:  # a typo, not a glob's entry
        raise click.BadParameter(f"no such folder: {', '.join(missing)}", param_hint="ISSUES")
    from press.model import ISSUE_FILE

    folders = [path for path in paths if (path / ISSUE_FILE).is_file()]
    for path in paths:
        if path not in folders and not quiet:
            click.echo(f"跳过 {display_path(path)}：不是期刊目录（无 issue.yaml）(skipped: no issue.yaml)", err=True)
    if not folders:
        raise click.BadParameter("none of these is an issue folder (a folder with issue.yaml)", param_hint="ISSUES")
    return folders


def build_many_issues(folders: list[Path], quiet: bool, then_check: bool, jobs: int | None, draft: bool) -> None:
    """`press build A B C …`: all issues in worker processes, one progress line per finished issue."""
    import os
    import time

    from press.batch import build_many, same_targets
    from press.build import built_line

    if clashes := same_targets(folders):
        raise InputError(clashes)
    started = time.perf_counter()
    workers = max(1, min(jobs or os.cpu_count() or 1, len(folders)))
    if not quiet:
        click.echo(f"生成 {len(folders)} 期，{workers} 个进程 (building {len(folders)} issues, "
                   f"{workers} at a time)", err=True)

    def progress(done: int, total: int, outcome) -> None:
        counter = f"[{done:>{len(str(total))}}/{total}]"
        if outcome.status == 0:
            if not quiet:
                click.echo(f"{counter} ✓ {display_path(outcome.folder)} "
                           f"{built_line(outcome.pdf, outcome.pages, outcome.size, outcome.seconds, draft)}", err=True)
            return
        failure = "输入有误 (bad input)" if outcome.status == 2 else "失败 (failed)"
        click.echo(f"{counter} ✗ {display_path(outcome.folder)} {failure}\n{outcome.message}", err=True)

    outcomes = build_many(folders, then_check, jobs, progress, draft)
    for outcome in outcomes:
        if outcome.pdf is not None:
            click.echo(display_path(outcome.pdf))
    failed = [outcome for outcome in outcomes if outcome.status]
    if not quiet or failed:
        click.echo(f"共 {len(outcomes)} 期：{len(outcomes) - len(failed)} 期成功，{len(failed)} 期失败，"
                   f"用时 {time.perf_counter() - started:.1f} 秒 ({len(outcomes)} issues, {len(failed)} failed)",
                   err=True)
    if failed:
        sys.exit(max(outcome.status for outcome in failed))


@main.command()
@click.argument("issue", type=click.Path(exists=True, file_okay=False, path_type=Path), callback=absolute)
@click.option("-o", "--output", type=OutputPath(dir_okay=False, path_type=Path),
              help="Where to write the PDF (default: dist/<slug>-<year>-<number>.pdf).")
@click.option("--draft", is_flag=True, help=DRAFT_HELP)
def watch(issue: Path, output: Path | None, draft: bool) -> None:
    """Build ISSUE, then rebuild it on every save until Ctrl-C.

    Fonts and templates stay loaded, so a rebuild takes well under a second.
    A save that breaks the build prints its problems and keeps the last good PDF.

    \b
    Example:
      press watch issues/2024-04
      press watch --draft issues/2024-04  → every page marked 草稿 DRAFT, for proofreading
    """
    from press.watch import watch as run_watch

    click.echo(f"监视 {display_path(issue)} 及样式、字体；按 Ctrl-C 停止 (watching; Ctrl-C stops)", err=True)
    try:
        run_watch(issue, output, lambda message: click.echo(message, err=True), draft=draft)
    except KeyboardInterrupt:
        click.echo("已停止 (stopped)", err=True)


@main.command()
@click.argument("issue", type=click.Path(exists=True, file_okay=False, path_type=Path), callback=absolute)
@click.option("--port", type=click.IntRange(min=0, max=65535), default=8765, show_default=True,
              help="The port on 127.0.0.1 (0: any free one).")
@click.option("--dpi", type=click.IntRange(min=20, max=300), default=80, show_default=True,
              help="Resolution of the page images.")
@click.option("-o", "--output", type=OutputPath(dir_okay=False, path_type=Path),
              help="Where to write the PDF (default: dist/<slug>-<year>-<number>.pdf).")
@click.option("--draft", is_flag=True, help=DRAFT_HELP)
def serve(issue: Path, port: int, dpi: int, output: Path | None, draft: bool) -> None:
    """Show ISSUE's pages in the browser (127.0.0.1 only), drawn again on every save until Ctrl-C.

    The same builds as press watch; a save that breaks the build shows its
    problems on the page above the pages of the last good build.

    \b
    Example:
      press serve issues/2024-04              → http://127.0.0.1:8765/
      press serve issues/2024-04 --port 9000
    """
    from press.serve import serve as run_serve

    def listening(url: str) -> None:
        click.echo(f"在 {url} 显示 {display_path(issue)} 的页面；按 Ctrl-C 停止 (serving the pages at {url}; "
                   "Ctrl-C stops)", err=True)

    try:
        run_serve(issue, output, port, dpi, lambda message: click.echo(message, err=True), listening, draft)
    except KeyboardInterrupt:
        click.echo("已停止 (stopped)", err=True)


@main.command()
@click.argument("target", type=click.Path(exists=True, path_type=Path))
@click.option("--dpi", type=click.IntRange(min=20, max=600), default=80, show_default=True,
              help="Resolution of the page images.")
@click.option("-o", "--output", "folder", type=OutputPath(file_okay=False, path_type=Path),
              help="Folder for the images (default: beside the PDF, <name>-preview/).")
def preview(target: Path, dpi: int, folder: Path | None) -> None:
    """Page images and one contact sheet of a built PDF (TARGET: the PDF, or its issue folder).

    \b
    Example:
      press preview issues/2024-04          → dist/materials-newsletter-2024-04-preview/
      press preview dist/x.pdf --dpi 150 -o review/
    """
    from press.preview import preview as run_preview
    from press.sources import PREVIEW_SUFFIX

    pdf, fonts_dir = built_pdf(target)
    folder = folder or pdf.with_name(pdf.stem + PREVIEW_SUFFIX)
    made = run_preview(pdf, folder, dpi, fonts_dir)
    click.echo(f"已生成 {len(made.pages)} 页图片和总览图 (page images and a contact sheet)", err=True)
    click.echo(display_path(made.sheet))


def check_ids(context: click.Context, parameter: click.Parameter, values: tuple[str, ...]) -> tuple[str, ...]:
    """Check identifiers from repeated or comma-separated options; unknown ones are a usage error."""
    from press.check import RULE_IDS

    ids = tuple(part.strip() for value in values for part in value.split(",") if part.strip())
    unknown = [name for name in ids if name not in RULE_IDS]
    if unknown:
        raise click.BadParameter(f"unknown check {', '.join(unknown)}; known: {', '.join(RULE_IDS)}")
    return ids


@main.command()
@click.argument("issue", type=click.Path(exists=True, file_okay=False, path_type=Path), callback=absolute)
@click.option("--to", "readers_file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="The reader list: one address per line (Name <a@b.c> allowed), # for comments.")
@click.option("--send", "really_send", is_flag=True, help="Send one message per reader through SMTP (needs --to).")
@click.option("--dry-run", is_flag=True, help="With --send: show who would get the issue, send nothing.")
@click.option("--accept", multiple=True, callback=check_ids, metavar="ID",
              help="Mail the PDF although this check fails (you read its failures and the PDF is right); recorded "
                   "in <pdf>.accepted.jsonl. Other checks still hold it back.")
def mail(issue: Path, readers_file: Path | None, really_send: bool, dry_run: bool, accept: tuple[str, ...]) -> None:
    """Compose the issue's message (an .eml draft beside the PDF), or send it to every reader.

    \b
    Example:
      press mail issues/2024-04                           → dist/…-2024-04.eml
      press mail issues/2024-04 --send --to readers.txt --dry-run
      PRESS_SMTP_USER=… PRESS_SMTP_PASSWORD=… press mail issues/2024-04 --send --to readers.txt
      press mail issues/2024-04 --accept justify     → mail it although justify fails (recorded)
    """
    from press import mail as mailing
    from press.draft import read_draft

    if (dry_run or readers_file) and not really_send:
        raise click.UsageError("--to and --dry-run go with --send (without it, press mail writes the draft)")
    loaded, pdf = issue_and_pdf(issue)
    if really_send and (error := mailing.no_sender(loaded)):
        raise error  # before anything is read or recorded: nothing can go without a sender
    readiness = mailing.ready(loaded, pdf, readers_file, accept, sending=really_send)
    if readiness.reasons:
        raise PressError("不能发送 (will not send):\n" + "\n".join(f"  {reason}" for reason in readiness.reasons))
    if readiness.accepted and not dry_run:
        log = mailing.record_accepted(loaded, pdf, readiness.accepted, "send" if really_send else "draft")
        for check in readiness.accepted:
            count = len(check.failures)
            click.echo(f"已接受未通过的检查 {check.id}（{count} 处）(accepted the failing check {check.id} as --accept "
                       f"asks: {count} failures; recorded in {display_path(log)})", err=True)
    if not really_send:
        draft = mailing.write_draft(mailing.compose(loaded, pdf), pdf.with_suffix(".eml"))
        if not loaded.settings.mail.sender:
            from press.model import SETTINGS_FILE

            click.echo(f"警告：发件人为占位地址 {mailing.PLACEHOLDER_SENDER} (warning: the draft's sender is a "
                       f"placeholder: add mail: from: to {display_path(loaded.folder.parent / SETTINGS_FILE)}, e.g. "
                       "from: 新材料监测快报 <newsletter@example.org>; press mail --send refuses without it)", err=True)
        if built := read_draft(pdf):
            click.echo(f"警告：附件 PDF 是校对用的草稿，生成于 {built} (warning: the attached PDF is a draft, "
                       "every page marked 草稿 DRAFT; press mail --send refuses it: build it without --draft to send)",
                       err=True)
        click.echo(f"已生成邮件草稿 (draft written): {mailing.subject(loaded)}", err=True)
        click.echo(display_path(draft))
        return
    if readers_file is None:
        raise click.UsageError("--send needs --to READERS_FILE")
    readers = mailing.read_readers(readers_file)
    if dry_run:
        pending, skipped = mailing.unsent(loaded, pdf, readers)
        for reader in pending:
            click.echo(reader)
        click.echo(f"将发送 {len(pending)} 封，{len(skipped)} 位读者已收到 (would send {len(pending)}; "
                   f"{len(skipped)} already sent) via {loaded.settings.mail.host}:{loaded.settings.mail.port}",
                   err=True)
        return
    try:
        delivery = mailing.send(loaded, pdf, readers, lambda line: click.echo(line, err=True))
    except KeyboardInterrupt:  # PressGroup says it was interrupted; this says how to go on
        click.echo(resume_hint(mailing.log_path(pdf)), err=True)
        raise
    except SystemExit as stopped:
        if stopped.code == 128 + signal.SIGTERM:
            click.echo(resume_hint(mailing.log_path(pdf)), err=True)
        raise
    click.echo(f"发送 {len(delivery.sent)} 封，跳过已收到的 {len(delivery.skipped)} 位，失败 {len(delivery.failed)} 封 "
               f"(sent {len(delivery.sent)}, already sent {len(delivery.skipped)}, failed {len(delivery.failed)}); "
               f"log: {display_path(mailing.log_path(pdf))}", err=True)
    if delivery.failed:
        sys.exit(1)


def resume_hint(log: Path) -> str:
    return ("再次运行同一命令，只发给尚未收到的读者 (run the same command again: it sends only to "
            f"those not yet sent; log: {display_path(log)})")


def built_pdf(target: Path) -> tuple[Path, Path]:
    """The PDF a command works on, and the fonts folder: TARGET itself, or the built PDF of an issue folder."""
    if target.is_file():
        from press.fonts import default_fonts_dir

        return target, default_fonts_dir()
    issue, pdf = issue_and_pdf(target)
    if not pdf.is_file():
        raise PressError(f"{display_path(pdf)} 不存在，请先运行 press build {display_path(target)} "
                         "(the PDF is not built yet)")
    return pdf, issue.settings.fonts_dir


def issue_and_pdf(folder: Path):
    """An issue folder loaded, and where `press build` puts its PDF."""
    from press.build import DIST
    from press.load import load_issue

    issue = load_issue(folder)
    return issue, DIST / issue.output_name


@main.command()
@click.argument("pdf", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--issue", "issue_folder", type=click.Path(file_okay=False, path_type=Path), callback=absolute,
              help="The issue folder the PDF was built from: also compare with the source.")
@click.option("--format", "output_format", type=click.Choice(["text", "json", "github"]), default="text",
              show_default=True, help="Report for people, for machines, or as GitHub Actions annotations.")
@click.option("--json", "as_json", is_flag=True, help="Same as --format json.")
@click.option("--only", multiple=True, callback=check_ids, metavar="ID[,ID…]", help="Run only these checks.")
@click.option("--skip", multiple=True, callback=check_ids, metavar="ID[,ID…]", help="Leave these checks out.")
def check(pdf: Path, issue_folder: Path | None, output_format: str, as_json: bool, only: tuple[str, ...],
          skip: tuple[str, ...]) -> None:
    """Check a built PDF's page structure and typography (exit 1 if a check fails, 2 if unreadable).

    \b
    Example:
      press check dist/materials-newsletter-2024-04.pdf --issue issues/2024-04
      press check dist/materials-newsletter-2024-04.pdf --format github --skip file-size
    """
    from press.check import FORMATS, check_pdf, error_report

    if only and issue_folder is None:
        from press.check import RULES

        needing = [rule.id for rule in RULES if rule.id in only and rule.needs_source]
        if needing and len(needing) == len(set(only)):
            raise click.UsageError(f"--only {','.join(needing)} needs --issue (these checks compare with the source)")
    output_format = "json" if as_json else output_format
    try:
        report = check_pdf(pdf, issue_folder, only, skip)
    except InputError as error:  # the PDF or the issue unreadable: still in the format a CI job reads
        if (shown := error_report(error, pdf, issue_folder, output_format)) is not None:
            click.echo(shown)
        raise
    click.echo(FORMATS[output_format](report))
    if not report.passed:
        sys.exit(1)


@main.command("new")
@click.argument("issues", type=click.Path(file_okay=False, path_type=Path), default="issues", callback=absolute)
@click.option("--from", "template", type=click.Path(file_okay=False, path_type=Path), default=None,
              callback=absolute, help="An issue whose articles (file names and sections) the new one follows.")
def new(issues: Path, template: Path | None) -> None:
    """Start the next issue in ISSUES (default ./issues): issue.yaml and one article per section.

    \b
    Example:
      press new                          # issues/2024-05 after issues/2024-04
      press new issues --from issues/2024-04
    """
    from press.new import new_issue

    folder = new_issue(issues, template)
    click.echo(f"已新建 {folder}：year、number、date 已推进，请填写文章 (new issue: fill in its articles)", err=True)
    click.echo(str(folder))


@main.command()
@click.argument("issue", type=click.Path(file_okay=False, path_type=Path), callback=absolute)
@click.option("--fix", is_flag=True, help="Correct in place what can be corrected safely.")
def lint(issue: Path, fix: bool) -> None:
    """Check the text of an ISSUE folder for editorial slips (exit 1 if any remain).

    \b
    Example:
      press lint issues/2024-04
      press lint --fix issues/2024-04
    """
    from press.lint import fix_issue, lint_issue

    if fix:
        fixed, findings = fix_issue(issue)
    else:
        fixed, findings = 0, lint_issue(issue)
    for finding in findings:
        click.echo(str(finding))
    remaining = f"{len(findings)} 处待改 ({len(findings)} finding{'s' if len(findings) != 1 else ''})"
    if fix:
        click.echo(f"已修正 {fixed} 处 ({fixed} fixed)；{remaining}", err=True)
    else:
        click.echo(remaining if findings else "未发现问题 (no findings)", err=True)
    if findings:
        sys.exit(1)


@main.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path), callback=absolute)
@click.option("--section", default=None, help="The articles' section (one of newsletter.yaml's sections).")
@click.option("--highlight", is_flag=True, help="List the articles under 本期要目 on the cover (highlight: true).")
def import_(paths: tuple[Path, ...], section: str | None, highlight: bool) -> None:
    """Import Word documents (ARTICLE.docx …) as articles of the issue ISSUE_DIR (the last path).

    \b
    Example:
      press import 氢能联盟.docx hydrogen.docx issues/2024-05 --section 战略规划
    """
    from press.importing import import_articles

    if len(paths) < 2:
        raise click.UsageError("give one or more .docx files and then the issue's folder")
    for article in import_articles(list(paths[:-1]), paths[-1], section, highlight):
        click.echo(f"已导入 {display_path(article.source)} → {display_path(article.article)}（{article.section}）"
                   f"，图片 {len(article.images)} 张 (imported)")
        for fix in article.fixes:
            click.echo(f"  已修正 (fixed) {fix}")
        for notice in article.notices:
            click.echo(f"  未能照原样导入 (not imported as it was) {notice}")


@main.command()
@click.option("--fonts", "fonts_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="The fonts folder to check (default: ./fonts, else the one that comes with press).")
def doctor(fonts_dir: Path | None) -> None:
    """Report what press's speed and output depend on, and how to fix a slow or broken set-up.

    \b
    Example:
      press doctor
    """
    from press.doctor import diagnose, report
    from press.fonts import default_fonts_dir

    findings = diagnose(fonts_dir or default_fonts_dir())
    click.echo(report(findings))
    if not all(finding.ok for finding in findings):
        sys.exit(1)
