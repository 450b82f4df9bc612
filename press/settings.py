"""newsletter.yaml → `Settings`: the newsletter's title, sections and their breaks, style, fonts, check and mail.

Takes the settings file's path and the `Problems` of the load; returns the
model's `Settings`, or None with every problem found (a field mistyped or
unknown, a style or fonts folder missing, a stylesheet or font that cannot
be read, a title that cannot be printed, a check or mail block unusable).
"""

import os
import re
from dataclasses import replace
from pathlib import Path
from typing import Any

from press import printable
from press.errors import Kind
from press.fonts import font_faces
from press.model import SETTINGS_FILE, STYLESHEET, CheckSettings, MailSettings, Settings
from press.pagesize import PageSize, parse_page_size, range_problem
from press.sources import name_problem, read_source, unreadable
from press.yamlfile import Field, Problems, closest, given, read_text, read_yaml, shown, validate

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")
SECTION_BREAKS = ("run-on", "page")  # section_break's values
LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$")  # BCP 47, as a newsletter writes it
LANGUAGE_NAMES = {"english": "en", "chinese": "zh-Hans", "中文": "zh-Hans", "简体中文": "zh-Hans", "简体": "zh-Hans",
                  "繁體中文": "zh-Hant", "繁体中文": "zh-Hant", "繁體": "zh-Hant", "繁体": "zh-Hant",
                  "traditional chinese": "zh-Hant", "simplified chinese": "zh-Hans", "英文": "en", "英语": "en"}
SETTINGS_SCHEMA = {
    "slug": Field(str, doc="file-name stem of the PDFs, e.g. materials-newsletter"),
    "title": Field(str, doc="newsletter title, e.g. 新材料监测快报"),
    "title_en": Field(str, doc="English title on the cover"),
    "publisher": Field(str, doc="publisher, on the cover and in the PDF's author field"),
    "sections": Field(list, doc="section names, in the order they appear"),
    "style": Field(str, required=False, default="default", doc="folder under styles/"),
    "language": Field(str, required=False, default="zh-Hans", doc="BCP 47 language of the text"),
    "styles_dir": Field(str, required=False, default="../styles", doc="where styles live, from newsletter.yaml"),
    "fonts_dir": Field(str, required=False, default="../fonts", doc="where fonts live, from newsletter.yaml"),
    "section_break": Field(str, required=False, default=SECTION_BREAKS[0], doc="run-on: a section follows the one "
                           "before on its page; page: every section starts a new page"),
    "page_size": Field(str, required=False, default="A4", doc="the paper: A4, A5, B5 (ISO, 176 × 250 mm), Letter, "
                       "A3 or e.g. 185mm 260mm (width first)"),
    "new_issue": Field(list, required=False, doc="the sections of the article skeletons `press new` writes, in "
                       "order, a section as often as it gets articles (default: one per section)"),
    "check": Field(dict, required=False, default={}, doc="what `press check` holds the PDFs to"),
    "mail": Field(dict, required=False, default={}, doc="how `press mail` sends the PDF"),
}
MAIL_SCHEMA = {
    "from": Field(str, required=False, default="", doc="the sender, e.g. 新材料监测快报 <newsletter@example.org> "
                  "(needed to send; without it the draft's sender is a placeholder)"),
    "host": Field(str, required=False, default="localhost", doc="SMTP server"),
    "port": Field(int, required=False, default=587, doc="SMTP port"),
    "security": Field(str, required=False, default="starttls", doc="starttls, tls or none"),
    "per_minute": Field((int, float), required=False, default=30, doc="messages per minute at most"),
    "retries": Field(int, required=False, default=3, doc="attempts more per reader after a temporary failure"),
    "unsubscribe": Field((str, list), required=False, default=[], doc="how readers unsubscribe, written as "
                         "List-Unsubscribe: a mailto: address, an https:// URL (one-click, RFC 8058), or a list of "
                         "one of each"),
}
CHECK_SCHEMA = {
    "max_size": Field((str, int), required=False, default="5 MB", doc="largest PDF allowed, e.g. 450 KB"),
    "page_size": Field(str, required=False, doc="where page_size was set before it was a setting of its own: "
                       "still read alone, or when it names the same paper"),
    "bars": Field(dict, required=False, default={}, doc="thresholds by check id, e.g. justify: 0.95"),
}
UNSUBSCRIBE_MAILTO = re.compile(r"^mailto:[A-Za-z0-9.!#$%&'*+/=^_`{|}~-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+"
                                r"(\?[\x21-\x7e]*)?$")
SECURITY = ("starttls", "tls", "none")
NOT_IN_DIGEST = ("mail", "styles_dir", "fonts_dir", "new_issue")  # see pdf_digest
SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(B|KB|MB|GB)?\s*$", re.I)
SIZE_UNITS = {"b": 1, "kb": 1024, "mb": 1024 ** 2, "gb": 1024 ** 3}


def load_settings(path: Path, problems: Problems) -> Settings | None:
    """The newsletter-wide settings; None (with problems) when they are unusable."""
    if not os.path.isfile(path):
        problems.add(path, 0, 0, "找不到刊物设置文件 newsletter.yaml (newsletter settings missing)")
        return None
    data, lines = read_yaml(path, problems)
    if not validate(data, lines, SETTINGS_SCHEMA, path, problems):
        return None
    for name in data["sections"]:
        if not isinstance(name, str) or not name.strip():
            problems.add(path, lines.get("sections", 0), 1, "栏目名称必须是文字 (section names must be text)")
            return None
    if not SLUG.match(data["slug"]):
        problems.add(path, lines["slug"], 1, "slug 只能用小写字母、数字和连字符 (a-z, 0-9, -)")
        return None
    printed = [(name, data[name], lines.get(name, 1)) for name in ("title", "title_en", "publisher")]
    printed += [("sections", name, lines.get(f"sections[{index}]", lines.get("sections", 1)))
                for index, name in enumerate(data["sections"])]
    folders = style_folders(path, data, lines, problems)
    if folders is None:
        return None
    style, styles_dir, fonts_dir, stylesheet = folders
    check = check_settings(given(data, SETTINGS_SCHEMA, "check") or {}, lines, path, problems)
    mail = mail_settings(given(data, SETTINGS_SCHEMA, "mail"), lines, path, problems)
    paper = page_size_setting(data, lines, path, problems)
    unprintable = [(line, message) for name, value, line in printed
                   if (message := printable.field_problem(name, value, fonts_dir, stylesheet))]
    for line, message in unprintable:
        problems.add(path, line, 1, message, Kind.CHARACTER)
    section_break = given(data, SETTINGS_SCHEMA, "section_break")
    if section_break not in SECTION_BREAKS:
        problems.add(path, lines.get("section_break", 0), 1, f"section_break 应为 run-on 或 page "
                     f"(section_break must be run-on or page, got {shown(section_break)})")
    language = given(data, SETTINGS_SCHEMA, "language")
    if message := language_problem(language):
        problems.add(path, lines.get("language", 0), 1, message)
    new_articles = skeleton_sections(given(data, SETTINGS_SCHEMA, "new_issue"), data["sections"], lines, path,
                                     problems)
    if check is None or mail is None or unprintable or section_break not in SECTION_BREAKS or new_articles is None \
            or paper is None or language_problem(language):
        return None
    return Settings(slug=data["slug"], title=data["title"], title_en=data["title_en"],
                    publisher=data["publisher"], sections=tuple(data["sections"]),
                    style=style, language=language,
                    styles_dir=styles_dir, fonts_dir=fonts_dir, check=replace(check, page_size=paper), mail=mail,
                    section_break=section_break, new_articles=new_articles, page_size=paper,
                    digest=pdf_digest(data))


def language_problem(language: str) -> str | None:
    """Why `language` is no BCP 47 tag (`english`, `zh_Hant`), with the tag meant when it can be told; None if it
    is one."""
    if LANGUAGE_TAG.match(language):
        return None
    meant = LANGUAGE_NAMES.get(language.strip().lower()) or (language.replace("_", "-")
                                                             if LANGUAGE_TAG.match(language.replace("_", "-")) else "")
    chinese, english = (f"，是否应为 {meant}？", f": did you mean {meant}?") if meant else ("", "")
    return (f"language 应为语言标记，如 zh-Hans、zh-Hant、en-US，而不是 {shown(language)}{chinese} (language must be a "
            f"language tag such as zh-Hans, zh-Hant or en-US, not {shown(language)}{english})")


def skeleton_sections(listed: list | None, sections: list[str], lines: dict[str, int], path: Path,
                      problems: Problems) -> tuple[str, ...] | None:
    """`new_issue:` as the sections of the skeletons `press new` writes (every section once when not given);
    None (with a problem at its line) for an entry that is not a section, or out of the sections' order."""
    if listed is None:
        return tuple(sections)
    found = len(problems)
    rank = -1
    for index, name in enumerate(listed):
        line = lines.get(f"new_issue[{index}]", lines.get("new_issue", 0))
        if name not in sections:
            guess = closest(str(name), sections) if isinstance(name, str) else None
            chinese, english = (f"，是否应为 {guess}？", f": did you mean {guess}?") if guess else (
                "", f"; the sections are {', '.join(sections)}")
            problems.add(path, line, 1, f"new_issue 中的 {shown(name)} 不是栏目{chinese} (new_issue: {shown(name)} is "
                         f"not a section{english})")
        elif sections.index(name) < rank:
            problems.add(path, line, 1, f"new_issue 中的 {name} 应排在 {sections[rank]} 之前 (new_issue must follow "
                         f"the order of sections: {'、'.join(sections)})")
        else:
            rank = sections.index(name)
    if not listed:
        problems.add(path, lines.get("new_issue", 0), 1, "new_issue 不能为空 (new_issue: list at least one section)")
    return tuple(listed) if len(problems) == found else None


def default_check() -> CheckSettings:
    """What `press check` holds a PDF to without its issue's settings: the `check:` block's defaults."""
    return check_settings({}, {}, Path(SETTINGS_FILE), Problems())


def pdf_digest(data: dict) -> str:
    """A hash of the settings a PDF depends on: newsletter.yaml's values as parsed (so a comment, a blank line or a
    change of the `mail:` block alone leaves it as it is); "" if they cannot be hashed.

    It is written into the PDF, so it leaves out `styles_dir` and `fonts_dir` too: they name folders on this
    machine, and the same sources must give the same bytes anywhere.  What is in those folders counts by date.
    """
    import hashlib
    import json

    try:
        text = json.dumps({key: value for key, value in data.items() if key not in NOT_IN_DIGEST}, sort_keys=True,
                          ensure_ascii=False, default=repr)
    except (TypeError, ValueError):  # keys that cannot be sorted together (a number beside a text)
        return ""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def style_folders(path: Path, data: dict, lines: dict[str, int],
                  problems: Problems) -> tuple[str, Path, Path, str] | None:
    """The style's name, the styles and fonts folders and the stylesheet's text; None (with problems) when one
    of them cannot be used: a name no folder can have, a folder missing, the stylesheet or a font it names
    unreadable."""
    for name in ("style", "styles_dir", "fonts_dir"):
        if isinstance(data.get(name), str) and (reason := name_problem(data[name])):
            problems.add(path, lines.get(name, 0), 1, f"{name} 不能用作文件夹名：{reason[0]} "
                         f"({name} cannot name a folder: {reason[1]})")
            return None
    styles_dir = resolve_dir(path, given(data, SETTINGS_SCHEMA, "styles_dir"))
    fonts_dir = resolve_dir(path, given(data, SETTINGS_SCHEMA, "fonts_dir"))
    style = given(data, SETTINGS_SCHEMA, "style")
    if not os.path.isdir(styles_dir / style):
        problems.add(path, lines.get("style", 0), 1, f"找不到样式 {style} (no folder {styles_dir / style})")
        return None
    if not os.path.isdir(fonts_dir):
        problems.add(path, lines.get("fonts_dir", 0), 1, f"找不到字体文件夹 (no fonts folder {fonts_dir})")
        return None
    stylesheet = read_text(styles_dir / style / STYLESHEET, problems)
    if stylesheet is None or not fonts_readable(styles_dir / style / STYLESHEET, stylesheet, fonts_dir, problems):
        return None
    return style, styles_dir, fonts_dir, stylesheet


def fonts_readable(stylesheet: Path, text: str, fonts_dir: Path, problems: Problems) -> bool:
    """Whether every font file the stylesheet's @font-face rules name can be read (a missing one is left to the
    sandbox, which refuses it at its line); a problem at the rule for each that cannot."""
    found = len(problems)
    for name, _ in font_faces(text):
        line = text[: max(0, text.find(f"font:{name}"))].count("\n") + 1
        if reason := name_problem(name):
            problems.add(stylesheet, line, 1, f"字体文件名无法使用 font:{shown(name)}：{reason[0]} "
                         f"(the font's name cannot name a file: {reason[1]})")
            continue
        if os.path.lexists(fonts_dir / name) and (reason := unreadable(fonts_dir / name)):
            problems.add(stylesheet, line, 1, f"无法读取字体文件 {name} (cannot read the font file: {reason})")
    return len(problems) == found


def check_settings(data: dict, lines: dict[str, int], path: Path,
                   problems: Problems) -> CheckSettings | None:
    """The `check:` block: size budget, page size and bars; None (with problems) if unusable."""
    nested = {key[len("check."):]: line for key, line in lines.items() if key.startswith("check.")}
    if not validate(data, nested, CHECK_SCHEMA, path, problems, first_line=lines.get("check", 1)):
        return None
    found = len(problems)
    max_bytes = parse_size(given(data, CHECK_SCHEMA, "max_size"))
    if max_bytes is None:
        problems.add(path, nested.get("max_size", 0), 1, f"文件大小写法不对 (max_size: write e.g. 5 MB or "
                     f"450 KB, got {shown(data['max_size'])})")
    bars = []
    for name, value in (given(data, CHECK_SCHEMA, "bars") or {}).items():
        line = nested.get(f"bars.{name}", nested.get("bars", 0))
        if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
            problems.add(path, line, 1, f"阈值应为不小于 0 的数 (bar {name} must be a number ≥ 0, got {shown(value)})")
        else:
            bars.append((str(name), float(value), line))
    if len(problems) > found:
        return None
    return CheckSettings(max_bytes=max_bytes, page_size=None, bars=tuple(bars), path=path)


def page_size_setting(data: dict, lines: dict[str, int], path: Path, problems: Problems) -> PageSize | None:
    """The paper: the top-level page_size, else `check: page_size` (where it was set before), else the default;
    None (with a problem at its line) when one is unreadable or out of range, or the two name different papers."""
    check = data.get("check") if isinstance(data.get("check"), dict) else {}
    found = len(problems)
    sizes = []
    for key, value in (("page_size", data.get("page_size")), ("check.page_size", check.get("page_size"))):
        if not isinstance(value, str):  # absent, or of a type validate() reported
            continue
        size = parse_page_size(value)
        if size is None:
            problems.add(path, lines.get(key, 0), 1, f"页面尺寸写法不对 ({key.replace('.', ': ')}: A4, A5, B5, "
                         f"Letter, A3 or e.g. 185mm 260mm, got {shown(value)})")
        elif reason := range_problem(size):
            problems.add(path, lines.get(key, 0), 1, reason)
        sizes.append(size)
    if len(sizes) == 2 and None not in sizes and not sizes[0].same_as(sizes[1]):
        problems.add(path, lines.get("check.page_size", 0), 1, f"check 中的 page_size 与刊物的 page_size 不一致 "
                     f"(check: page_size is {sizes[1].label} but page_size is {sizes[0].label}: the check takes "
                     "the paper from page_size; remove check: page_size)")
    if len(problems) > found:
        return None
    return sizes[0] if sizes else parse_page_size(SETTINGS_SCHEMA["page_size"].default)


def mail_settings(data: Any, lines: dict[str, int], path: Path, problems: Problems) -> MailSettings | None:
    """The `mail:` block: sender, SMTP server, security, rate and retries; None (with problems) if unusable."""
    nested = {key[len("mail."):]: line for key, line in lines.items() if key.startswith("mail.")}
    if not validate(data, nested, MAIL_SCHEMA, path, problems, first_line=lines.get("mail", 1)):
        return None
    found = len(problems)
    security = given(data, MAIL_SCHEMA, "security")
    if security not in SECURITY:
        problems.add(path, nested.get("security", 0), 1, f"security 应为 starttls、tls 或 none "
                     f"(security must be starttls, tls or none, got {shown(security)})")
    sender = given(data, MAIL_SCHEMA, "from")
    if "from" in data and "@" not in sender:
        problems.add(path, nested.get("from", 0), 1,
                     f"发件人地址不对 (from must hold an address, got {shown(sender)})")
    elif printable.breaks_line(sender):
        problems.add(path, nested.get("from", 0), 1, "from 中有换行或控制字符 (from holds a line break or a control "
                     "character: write the sender on one line, e.g. 新材料监测快报 <newsletter@example.org>)")
    rate = given(data, MAIL_SCHEMA, "per_minute")
    if isinstance(rate, bool) or rate <= 0:
        problems.add(path, nested.get("per_minute", 0), 1, f"per_minute 应大于 0 (must be > 0, got {shown(rate)})")
    unsubscribe = unsubscribe_targets(given(data, MAIL_SCHEMA, "unsubscribe"), nested, path, problems)
    if len(problems) > found:
        return None
    return MailSettings(sender=sender, unsubscribe=unsubscribe, line=lines.get("mail", 0),
                        host=given(data, MAIL_SCHEMA, "host"), port=given(data, MAIL_SCHEMA, "port"),
                        security=security, per_minute=float(rate), retries=max(0, given(data, MAIL_SCHEMA, "retries")))


def unsubscribe_targets(value: str | list, nested: dict[str, int], path: Path, problems: Problems) -> tuple[str, ...]:
    """`mail: unsubscribe:` as the targets of List-Unsubscribe: at most one mailto: address and one https:// URL,
    each in ASCII with nothing a header list cannot hold (spaces, <, >, commas: percent-encode them); a problem at
    its line for each that is not."""
    from urllib.parse import urlsplit

    targets = [value] if isinstance(value, str) else value
    schemes: set[str] = set()
    for index, target in enumerate(targets):
        line = nested.get(f"unsubscribe[{index}]", nested.get("unsubscribe", 0))
        if not isinstance(target, str):
            problems.add(path, line, 1, f"unsubscribe 应为文字 (unsubscribe must be text, got {shown(target)})")
            continue
        scheme = target.partition(":")[0].lower()
        if scheme == "mailto":
            usable = bool(UNSUBSCRIBE_MAILTO.match(target)) and not re.search(r"[<>,\s]", target)
        else:
            usable = (scheme == "https" and target.isascii() and not re.search(r"[<>,\s\x00-\x1f\x7f]", target)
                      and bool(urlsplit(target).hostname))
        if not usable:
            problems.add(path, line, 1, "退订地址不对 (unsubscribe: write mailto:address or an https:// URL, in ASCII "
                         f"with no spaces, <, > or commas (percent-encode them), got {shown(target)})")
        elif scheme in schemes:
            problems.add(path, line, 1, f"退订地址重复 (unsubscribe: give at most one {scheme}: target)")
        schemes.add(scheme)
    return tuple(target for target in targets if isinstance(target, str))


def parse_size(text: str | int) -> int | None:
    """Bytes from 5 MB, 450 KB, 1.5MB or a plain number of bytes; None if unreadable."""
    if isinstance(text, int) and not isinstance(text, bool):
        return text if text > 0 else None
    match = SIZE.match(str(text))
    if not match:
        return None
    return int(float(match.group(1)) * SIZE_UNITS[(match.group(2) or "b").lower()]) or None


def resolve_dir(settings_path: Path, name: str) -> Path:
    """A folder named in the settings, relative to the settings file."""
    return Path(os.path.realpath(settings_path.parent / name))


def stylesheet_text(settings: Settings) -> str:
    """The style's stylesheet, whose @font-face rules say which face draws which characters ("" if none)."""
    return style_text(settings.style_dir)


def style_text(style_dir: Path) -> str:
    """The stylesheet's text in a style folder ("" if it cannot be read: the loader reports that)."""
    try:
        return read_source(style_dir / STYLESHEET).decode("utf-8-sig")
    except (OSError, UnicodeDecodeError):  # reported by the loader, which read it first
        return ""
