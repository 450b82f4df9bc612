"""Model → HTML through the style's Jinja2 templates.

Takes an `Issue`; returns the HTML document as a string.  Templates are looked
up first in the issue folder's `templates/`, then in the style's folder, so an
issue can override one template without copying the style.  Autoescaping is on;
only article bodies (already HTML made by `markup`) are inserted as they are.
The Chinese text rules of `cjk` (Han–Latin spacing, unbreakable marks) are
applied to the finished document, and to strings put into CSS.
"""

from functools import cache
from pathlib import Path

import jinja2
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup

from press import __version__
from press.cjk import apply_text_rules, space_plain
from press.errors import InputError, Problem
from press.model import Issue

TEMPLATE = "issue.html"


class TemplateOutside(jinja2.TemplateNotFound):
    """A template file that is a link to outside the template folders."""


class ConfinedLoader(jinja2.FileSystemLoader):
    """Loads templates from its folders only: a template that links outside them is not found."""

    def get_source(self, environment, template):
        source, filename, uptodate = super().get_source(environment, template)
        real = Path(filename).resolve()
        if not any(real.is_relative_to(Path(root).resolve()) for root in self.searchpath):
            raise TemplateOutside(template)
        return source, filename, uptodate


@cache
def environment(search_path: tuple[Path, ...]) -> jinja2.Environment:
    """One sandboxed Jinja2 environment per template search path (kept warm across builds).

    The sandbox keeps a template in an issue folder from reaching Python's
    internals (files, processes): such an attempt is an input error.
    """
    loader = ConfinedLoader([str(path) for path in search_path])
    env = SandboxedEnvironment(loader=loader, autoescape=True, undefined=jinja2.StrictUndefined,
                               trim_blocks=True, lstrip_blocks=True)
    env.filters["css_string"] = css_string
    return env


def css_string(text: str) -> Markup:
    """Text as a quoted CSS string, safe inside a <style> element."""
    spaced, _ = space_plain(str(text), "", breaks=False)
    escaped = "".join(f"\\{ord(char):x} " if char in '"\\<>&\n' else char for char in spaced)
    return Markup(f'"{escaped}"')


def template_path(issue: Issue) -> tuple[Path, ...]:
    """Where templates are looked up, first match wins."""
    own = issue.folder / "templates"
    return ((own,) if own.is_dir() else ()) + (issue.settings.style_dir,)


def render_html(issue: Issue) -> str:
    """The whole issue as one HTML document; a broken or forbidden template is an InputError at its line."""
    search_path = template_path(issue)
    try:
        template = environment(search_path).get_template(TEMPLATE)
        html = template.render(issue=issue, settings=issue.settings, press_version=__version__)
    except jinja2.TemplateError as error:
        raise InputError([template_problem(error, search_path)]) from None
    return apply_text_rules(html)


def template_problem(error: jinja2.TemplateError, search_path: tuple[Path, ...]) -> Problem:
    """The template file and line an error was raised at (from the error, or the innermost template frame)."""
    path, line = getattr(error, "filename", None), getattr(error, "lineno", None) or 0
    if path is None:
        template_files = {str(candidate) for root in search_path for candidate in root.rglob("*.html")}
        traceback = error.__traceback__
        while traceback is not None:
            if traceback.tb_frame.f_code.co_filename in template_files:
                path, line = traceback.tb_frame.f_code.co_filename, traceback.tb_lineno
            traceback = traceback.tb_next
    if isinstance(error, TemplateOutside):
        message = (f"模板 {error.name} 链接到模板目录以外，拒绝读取 "
                   "(template links outside the template folders: refused)")
    elif isinstance(error, jinja2.exceptions.SecurityError):
        message = ("模板试图访问沙箱以外的内容，拒绝执行 "
                   f"(template reaches outside its sandbox: refused; {error.message})")
    elif isinstance(error, jinja2.TemplateNotFound):
        message = f"找不到模板 {error.name} (template not found: {error.message or error.name})"
    else:
        message = f"模板错误 (template error: {error.message or type(error).__name__})"
    return Problem(Path(path) if path else search_path[0] / TEMPLATE, line, 0, message)
