"""Model → HTML through the style's Jinja2 templates.

Takes an `Issue`; returns the HTML document as a string.  Templates are looked
up first in the issue folder's `templates/`, then in the style's folder, so an
issue can override one template without copying the style.  Autoescaping is on;
only article bodies (already HTML made by `markup`) are inserted as they are.
The Chinese text rules of `cjk` (Han–Latin spacing, unbreakable marks) are
applied to the finished document, and to strings put into CSS.
"""

import os
import re
import signal
import threading
from contextlib import contextmanager
from functools import cache
from pathlib import Path, PurePath, PurePosixPath

import jinja2
from jinja2.exceptions import SecurityError
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup, escape

from press import __version__, ids
from press.cjk import apply_text_rules, space_plain
from press.dialect import EDITOR_NOTES
from press.errors import InputError, Problem
from press.locale import EN, Chrome, curly_quotes
from press.model import Issue
from press.sources import inside

TEMPLATE = "issue.html"
NOTE_LABEL = re.compile(f'(<span class="editor-note-label {ids.GENERATED_CLASS}">)'
                        f'(?:{"|".join(EDITOR_NOTES)})：(</span>)')  # as press.dialect writes it
MAX_OUTPUT = {TEMPLATE: 8_000_000, None: 500_000}  # characters a template may make (issue.html; mail bodies)
TIME_LIMIT = 30.0  # seconds: the sample renders in 0.02 s
MEMORY_LIMIT = 1 << 30  # bytes of address space a template may add: `'x'.ljust(10**10)` fails, not the machine


class TemplateOutside(jinja2.TemplateNotFound):
    """A template file that is a link to outside the template folders."""


class TemplateNotAFile(jinja2.TemplateNotFound):
    """A template's name that stands for a folder, a FIFO or a broken link."""


class ConfinedLoader(jinja2.FileSystemLoader):
    """Loads templates from its folders only: a template that links outside them is not found."""

    def get_source(self, environment, template):
        for root in self.searchpath:  # a name there but no file (a folder, a FIFO, a broken link): no fallback
            candidate = Path(root, *jinja2.loaders.split_template_path(template))
            if os.path.lexists(candidate) and not candidate.is_file():
                raise TemplateNotAFile(template, str(candidate))
        source, filename, uptodate = super().get_source(environment, template)
        if not any(inside(Path(filename), Path(root)) for root in self.searchpath):
            raise TemplateOutside(template)
        return source, filename, uptodate


class PressSandbox(SandboxedEnvironment):
    """Jinja2's sandbox, also closed to the files the model names and to operators that fill the memory.

    Jinja2's own sandbox blocks Python's internals (`__class__`, `__globals__` …)
    but not ordinary methods: `issue.folder.joinpath('/etc/passwd').read_text()`
    would read or write any file.  A path in a template shows only its name.
    """

    intercepted_binops = frozenset({"*", "**"})
    PATH_ATTRIBUTES = frozenset({"name", "stem", "suffix"})
    MAX_ITEMS = 1_000_000  # longest string or list a `*` may make
    MAX_EXPONENT = 64

    def is_safe_attribute(self, obj, attr, value) -> bool:
        if isinstance(obj, PurePath) and attr not in self.PATH_ATTRIBUTES:
            return False
        return super().is_safe_attribute(obj, attr, value)

    def getattr(self, obj, attribute):
        return shown_path(super().getattr(obj, attribute))

    def getitem(self, obj, argument):
        return shown_path(super().getitem(obj, argument))

    def call_binop(self, context, operator, left, right):
        if operator == "*":
            count = right if isinstance(left, (str, list, tuple)) else left
            sized = left if isinstance(left, (str, list, tuple)) else right
            if isinstance(sized, (str, list, tuple)) and isinstance(count, int) and len(sized) * count > self.MAX_ITEMS:
                raise SecurityError(f"a repetition of more than {self.MAX_ITEMS:,} items")
            return left * right
        if isinstance(right, int) and abs(right) > self.MAX_EXPONENT:
            raise SecurityError(f"a power above {self.MAX_EXPONENT}")
        return left ** right


def shown_path(value):
    """A path as a template sees it: its name alone (`{{ issue.folder }}` prints 2024-04), so no template prints
    or reaches the build machine's folders."""
    return PurePosixPath(value.name) if isinstance(value, PurePath) else value


@cache
def environment(search_path: tuple[Path, ...]) -> jinja2.Environment:
    """One sandboxed Jinja2 environment per template search path (kept warm across builds).

    The sandbox keeps a template in an issue folder from reaching Python's
    internals and files: such an attempt is an input error.
    """
    loader = ConfinedLoader([str(path) for path in search_path])
    env = PressSandbox(loader=loader, autoescape=True, undefined=jinja2.StrictUndefined,
                       trim_blocks=True, lstrip_blocks=True)
    env.filters["css_string"] = css_string
    env.filters["sum"] = sum_of_numbers
    del env.globals["lipsum"]  # lorem ipsum of any length: nothing a periodical prints
    return env


def sum_of_numbers(iterable, start=0):
    """Jinja2's `sum` filter for numbers only: summing lists is quadratic, in C, where no time limit reaches."""
    values = list(iterable)
    if not all(isinstance(value, int | float) and not isinstance(value, bool) for value in [*values, start]):
        raise SecurityError("sum adds numbers only")
    return sum(values, start)


def css_string(text: str) -> Markup:
    """Text as a quoted CSS string, safe inside a <style> element."""
    spaced, _ = space_plain(str(text), "", breaks=False)
    escaped = "".join(f"\\{ord(char):x} " if char in '"\\<>&\n' else char for char in spaced)
    return Markup(f'"{escaped}"')


def template_path(issue: Issue) -> tuple[Path, ...]:
    """Where templates are looked up, first match wins; a templates/ folder linked out of the issue is refused."""
    own = issue.folder / "templates"
    if own.is_dir() and not inside(own, issue.folder):
        raise InputError([Problem(own, 0, 0, "templates 目录链接到本期目录以外，拒绝读取 "
                                             "(the templates folder links outside the issue folder: refused)")])
    return ((own,) if own.is_dir() else ()) + (issue.settings.style_dir,)


def render_html(issue: Issue) -> str:
    """The whole issue as one HTML document; a broken or forbidden template is an InputError at its line."""
    html = render_template(issue, TEMPLATE, {"issue": issue, "settings": issue.settings, "chrome": issue.chrome,
                                             "press_version": __version__})
    html = localised_note_labels(html, issue.chrome)
    return apply_text_rules(curly_quotes(html) if issue.chrome.family == EN else html)


def localised_note_labels(html: str, chrome: Chrome) -> str:
    """The document with each editor's note's run-in label (编者按：, as the article wrote it, or 編者按：)
    in the newsletter's language (press.locale): the label is chrome, not the article's text."""
    return NOTE_LABEL.sub(lambda match: match.group(1) + str(escape(chrome.note_label())) + match.group(2), html)


def render_template(issue: Issue, name: str, context: dict) -> str:
    """One of the issue's templates (issue.html, mail.txt …) rendered in the sandbox, within TIME_LIMIT seconds.

    Every way a template can fail (syntax, an undefined name, the sandbox,
    a recursion, a range too big, too long a run) is an InputError at its line.
    """
    search_path = template_path(issue)
    try:
        with time_limit(TIME_LIMIT), memory_limit(MEMORY_LIMIT):
            text = environment(search_path).get_template(name).render(context)
    except Exception as error:  # whatever a template raises, it is the template's problem
        raise InputError([template_problem(error, search_path, name)]) from None
    limit = MAX_OUTPUT.get(name, MAX_OUTPUT[None])
    if len(text) > limit:
        raise InputError([Problem(search_path[0] / name, 0, 0, f"模板输出过长 (the template made {len(text):,} "
                                  f"characters, at most {limit:,}: the sample issue makes 26,000)")])
    return text


class TemplateTimeout(Exception):
    """A template ran longer than TIME_LIMIT (a loop over a huge range, say)."""


@contextmanager
def time_limit(seconds: float):
    """Raise TemplateTimeout in the block after `seconds` (main thread only; elsewhere no limit)."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return

    def expired(signal_number, frame):
        raise TemplateTimeout(f"ran longer than {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@contextmanager
def memory_limit(extra: int):
    """Cap the process's address space at its present size plus `extra` bytes in the block (Linux; elsewhere none).

    A template that asks for more gets a MemoryError, reported at its line.
    """
    try:
        import resource

        pages = int(Path("/proc/self/statm").read_text().split()[0])
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    except (ImportError, OSError, ValueError):
        yield
        return
    cap = pages * resource.getpagesize() + extra
    if soft != resource.RLIM_INFINITY and soft <= cap:
        yield
        return
    resource.setrlimit(resource.RLIMIT_AS, (cap if hard == resource.RLIM_INFINITY else min(cap, hard), hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def template_problem(error: Exception, search_path: tuple[Path, ...], name: str = TEMPLATE) -> Problem:
    """The template file and line an error was raised at (from the error, or the innermost template frame)."""
    path, line = getattr(error, "filename", None), getattr(error, "lineno", None) or 0
    if path is None:
        template_files = {str(candidate) for root in search_path for candidate in root.rglob("*")}
        traceback = error.__traceback__
        while traceback is not None:
            if traceback.tb_frame.f_code.co_filename in template_files:
                path, line = traceback.tb_frame.f_code.co_filename, traceback.tb_lineno
            traceback = traceback.tb_next
    if isinstance(error, TemplateOutside):
        message = (f"模板 {error.name} 链接到模板目录以外，拒绝读取 "
                   "(template links outside the template folders: refused)")
    elif isinstance(error, TemplateNotAFile):
        message = f"模板 {error.name} 不是普通文件 (the template is not a file: {error.message})"
    elif isinstance(error, jinja2.exceptions.SecurityError):
        message = ("模板试图访问沙箱以外的内容，拒绝执行 "
                   f"(template reaches outside its sandbox: refused; {error.message})")
    elif isinstance(error, jinja2.TemplateNotFound):
        message = f"找不到模板 {error.name} (template not found: {error.message or error.name})"
    elif isinstance(error, MemoryError):
        message = f"模板占用内存过多 (template needs more than {MEMORY_LIMIT >> 20} MB more memory)"
    elif isinstance(error, jinja2.TemplateError):
        message = f"模板错误 (template error: {error.message or type(error).__name__})"
    else:
        message = f"模板无法完成 (template cannot be rendered: {type(error).__name__}: {str(error)[:100]})"
    return Problem(Path(path) if path else search_path[0] / name, line, 0, message)
