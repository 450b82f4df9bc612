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
from markupsafe import Markup

from press import __version__
from press.cjk import apply_text_rules, space_plain
from press.model import Issue

TEMPLATE = "issue.html"


@cache
def environment(search_path: tuple[Path, ...]) -> jinja2.Environment:
    """One Jinja2 environment per template search path (kept warm across builds)."""
    loader = jinja2.FileSystemLoader([str(path) for path in search_path])
    env = jinja2.Environment(loader=loader, autoescape=True, undefined=jinja2.StrictUndefined,
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
    """The whole issue as one HTML document."""
    template = environment(template_path(issue)).get_template(TEMPLATE)
    html = template.render(issue=issue, settings=issue.settings, press_version=__version__)
    return apply_text_rules(html)
