"""newsletter.yaml read into Settings: each default stated once, in the schema, and taken from there."""

import re

import pytest

from press.errors import InputError
from press.load import load_issue
from press.pagesize import parse_page_size
from press.settings import CHECK_SCHEMA, MAIL_SCHEMA, SETTINGS_SCHEMA, default_check, parse_size
from tests.conftest import ROOT, article
from tests.test_load import problems_of

SCHEMAS = {"": SETTINGS_SCHEMA, "check.": CHECK_SCHEMA, "mail.": MAIL_SCHEMA}


def test_a_field_left_out_takes_the_default_its_schema_states(make_issue):
    settings = load_issue(make_issue({"a.md": article("标题", "正文。")})).settings
    assert (settings.style, settings.language, settings.section_break) == tuple(
        SETTINGS_SCHEMA[name].default for name in ("style", "language", "section_break"))
    assert settings.check.max_bytes == parse_size(CHECK_SCHEMA["max_size"].default) == 5 * 1024 * 1024
    assert settings.page_size == settings.check.page_size == parse_page_size(SETTINGS_SCHEMA["page_size"].default)
    assert settings.check.max_bytes == default_check().max_bytes
    assert default_check().page_size is None  # a PDF checked without its source: any standard paper
    mail = settings.mail
    assert (mail.sender, mail.host, mail.port, mail.security, mail.per_minute, mail.retries, mail.unsubscribe) == (
        "", "localhost", 587, "starttls", 30.0, 3, ())
    assert (mail.host, mail.port, mail.retries) == tuple(MAIL_SCHEMA[name].default
                                                         for name in ("host", "port", "retries"))


def test_the_readme_states_each_default_the_schema_states():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for prefix, schema in SCHEMAS.items():
        for name, field in schema.items():
            if field.default in (None, "", [], {}):
                continue
            value = re.escape(str(field.default))
            stated = rf"default:? `?{value}\b|\b{value}`? \(default\)"
            assert re.search(stated, readme), f"README does not state {prefix}{name}'s default {field.default}"
            assert field.described.endswith(f"(default {field.default})")


def test_folders_named_in_the_settings_must_be_folders_a_file_can_name(make_issue):
    folder = make_issue({"a.md": article("标题", "正文。")})
    settings = make_issue.settings.read_text(encoding="utf-8")
    for line, message in [('fonts_dir: "a\\0b"', "fonts_dir cannot name a folder: it holds a NUL character"),
                          ('styles_dir: "a\\ud800b"', "styles_dir cannot name a folder: it holds a lone surrogate"),
                          (f"style: {'样' * 90}", "style cannot name a folder: a name in it is longer than 255 bytes"),
                          ("fonts_dir: nowhere", "找不到字体文件夹 (no fonts folder")]:
        name = line.split(":")[0]
        kept = "\n".join(entry for entry in settings.splitlines() if not entry.startswith(name + ":"))
        make_issue.settings.write_text(f"{kept}\n{line}\n", encoding="utf-8")
        with pytest.raises(InputError) as caught:
            load_issue(folder)
        [problem] = caught.value.problems
        assert problem.path == make_issue.settings and message in problem.message, problem


def test_sections_run_on_unless_the_settings_start_each_on_a_page_and_another_value_is_named_at_its_line(
        make_issue):
    folder = make_issue({"a.md": article("标题", "正文。")})
    assert load_issue(folder).settings.section_break == "run-on"
    settings = make_issue.settings.read_text(encoding="utf-8")
    make_issue.settings.write_text(settings + "section_break: page\n", encoding="utf-8")
    assert load_issue(folder).settings.section_break == "page"
    line = len(settings.splitlines()) + 1
    for value, shown in [("new-page", "'new-page'"), ("true", "True"), ("[page]", "['page']")]:
        make_issue.settings.write_text(settings + f"section_break: {value}\n", encoding="utf-8")
        expected = (f"issues/newsletter.yaml:{line}:1: section_break 应为 run-on 或 page (section_break must be "
                    f"run-on or page, got {shown})")
        if value != "new-page":  # not text at all: the schema says so, as for every field
            expected = f"issues/newsletter.yaml:{line}:1: 字段 section_break 应为"
        found = problems_of(folder)
        assert len(found) == 1 and found[0].startswith(expected.replace("issues/", "")), found


@pytest.mark.parametrize(("language", "message"), [
    ("english", "language 应为语言标记，如 zh-Hans、zh-Hant、en-US，而不是 'english'，是否应为 en？ (language must "
                "be a language tag such as zh-Hans, zh-Hant or en-US, not 'english': did you mean en?)"),
    ("zh_Hant", "而不是 'zh_Hant'，是否应为 zh-Hant？ (language must be"),
    ("繁體中文", "是否应为 zh-Hant？"),
    ("Klingon tongue", "not 'Klingon tongue')")])
def test_a_language_that_is_no_language_tag_is_named_at_its_line_with_the_tag_meant(make_issue, language, message):
    folder = make_issue({"a.md": article("标题", "正文。")})
    settings = make_issue.settings.read_text(encoding="utf-8")
    make_issue.settings.write_text(settings + f"language: {language}\n", encoding="utf-8")
    [found] = problems_of(folder)
    assert found.startswith(f"newsletter.yaml:{len(settings.splitlines()) + 1}:1: ") and message in found, found
    for tag in ("en-GB", "zh-TW", "fr"):  # tags, even one press has no chrome for (its chrome is zh-Hans)
        make_issue.settings.write_text(settings + f"language: {tag}\n", encoding="utf-8")
        assert load_issue(folder).settings.language == tag
