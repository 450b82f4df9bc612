"""The model: sections grouped from consecutive articles, issue labels."""

from pathlib import Path

from press.model import Article, group_sections


def make(section: str, name: str) -> Article:
    return Article(ident=name, path=Path(name), title=name, section=section, body_html="")


def test_consecutive_articles_of_a_section_form_one_section():
    sections = group_sections((make("专题", "a"), make("项目资助", "b"), make("项目资助", "c")))
    assert [(s.ident, s.name, [a.ident for a in s.articles]) for s in sections] == [
        ("section-1", "专题", ["a"]), ("section-2", "项目资助", ["b", "c"])]
