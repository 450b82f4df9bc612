"""An article's pictures checked as files: where they lie, their kind, size and content, the text an SVG draws.

Takes the article's path, the picture's link as Markdown gave it and its line (and the `Problems` of the
load); returns whether the picture can be printed, with a problem at its file and line when it cannot, and a
picture's natural size (press.images reads the files themselves).
"""

import os
from pathlib import Path
from urllib.parse import unquote

from press import printable
from press.errors import Kind
from press.images import IMAGE_SUFFIXES, MAX_IMAGE_BYTES, natural_size, raster_problem, svg_problem, svg_text
from press.model import Settings
from press.settings import stylesheet_text
from press.sources import name_problem, not_a_source, unreadable
from press.yamlfile import Problems, shown


def picture_size(path: Path) -> tuple[float, float] | None:
    """A picture's natural size in CSS px (images.natural_size), or None if it cannot be told."""
    try:
        return natural_size(path)
    except (OSError, ValueError, SyntaxError):
        return None


def check_svg_text(article: Path, src: str, line: int, settings: Settings, problems: Problems) -> None:
    """The text an SVG figure draws must be drawable by a face of the style, like the article's own."""
    target = (article.parent / src).resolve()
    if target.suffix.lower() != ".svg":
        return
    text = svg_text(target)
    found = printable.text_problems(text, settings.fonts_dir, stylesheet_text(settings), scripts_set=False)
    for message in dict.fromkeys(message for _, _, message in found):
        problems.add(article, line, 1, f"图片 {src} 中的文字：{message}", Kind.CHARACTER)


def check_image(article: Path, src: str, line: int, problems: Problems) -> bool:
    """An image must be a file of a known kind inside the issue folder; whether it is.

    `src` is the link as Markdown normalised it: 图 1.png arrives as %E5%9B%BE%201.png.
    """
    src = unquote(src)
    if reason := name_problem(src):
        problems.add(article, line, 1, f"图片路径无法使用 {shown(src)}：{reason[0]} (the image's path cannot name a "
                     f"file: {reason[1]})")
        return False
    folder = article.parent.resolve()
    target = Path(os.path.realpath(folder / src))
    if "://" in src or src.startswith("/") or not target.is_relative_to(folder):
        problems.add(article, line, 1, f"图片必须在本期目录中 (image must lie in the issue folder: {src})")
    elif not os.path.exists(target) and "\\" in src:
        problems.add(article, line, 1, f"找不到图片 {src}：路径中的分隔符请用 / 而不是 \\ "
                     f"(image file missing: separate folders with /, not \\, e.g. {src.replace(chr(92), '/')})")
    elif not os.path.exists(target):
        problems.add(article, line, 1, f"找不到图片 {src} (image file missing)")
    elif reason := not_a_source(target.relative_to(folder)):
        problems.add(article, line, 1, f"图片 {src} {reason[0]}，press 不把它当作本期的文件，请改名 (the "
                     "picture's name "
                     f"{reason[1]}: press watch would not see it change and press mail would send a PDF older than "
                     "it; rename it)")
    elif target.suffix.lower() not in IMAGE_SUFFIXES:
        problems.add(article, line, 1, f"不支持的图片格式 {target.suffix} (use PNG, JPEG, GIF, WebP or SVG)")
    elif reason := unreadable(target):
        problems.add(article, line, 1, f"无法读取图片 {src} (cannot read the image: {reason})")
    elif target.stat().st_size > MAX_IMAGE_BYTES:
        problems.add(article, line, 1, f"图片文件过大 {src}：{target.stat().st_size / 2**20:.0f} MB "
                     f"(image file too large: at most {MAX_IMAGE_BYTES // 2**20} MB)")
    else:
        problem = svg_problem(target) if target.suffix.lower() == ".svg" else raster_problem(target)
        if problem:
            problems.add(article, line, 1, f"{problem[0]} {src} ({problem[1]})")
        return problem is None
    return False
