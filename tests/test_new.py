"""press new: the next issue after the latest, one article per section (or as another issue has them),
ready to build."""

from datetime import date

import yaml
from click.testing import CliRunner

from press.build import build
from press.check import check_pdf
from press.cli import main
from press.load import load_issue
from press.new import following
from tests.conftest import with_editor_note


def test_the_next_issue_is_a_month_later_and_numbered_on_from_one_in_a_new_year():
    assert following(2024, 4, date(2024, 4, 1)) == (2024, 5, date(2024, 5, 1))
    assert following(2024, 12, date(2024, 12, 15)) == (2025, 1, date(2025, 1, 15))
    assert following(2025, 1, date(2025, 1, 31)) == (2025, 2, date(2025, 2, 28))  # no 31 February


def test_press_new_writes_the_next_issue_that_builds_and_passes_every_check(make_issue, tmp_path):
    sample = make_issue.copy_sample()
    make_issue.use_sample_settings()
    result = CliRunner().invoke(main, ["new", str(sample.parent)])
    assert result.exit_code == 0, result.output
    folder = sample.parent / "2024-05"
    assert result.stdout.strip() == str(folder)
    meta = yaml.safe_load((folder / "issue.yaml").read_text(encoding="utf-8"))
    assert (meta["year"], meta["number"], meta["date"]) == (2024, 5, date(2024, 5, 1))
    assert len(meta["articles"]) == 5  # one per section of newsletter.yaml
    report = check_pdf(build(folder, tmp_path / "new.pdf").path, folder)
    assert report.passed, [check.id for check in report.checks if not check.passed]


def test_from_follows_another_issue_s_articles_and_an_existing_folder_is_never_overwritten(make_issue):
    sample = make_issue.copy_sample()
    make_issue.use_sample_settings()
    result = CliRunner().invoke(main, ["new", str(sample.parent), "--from", str(sample)])
    assert result.exit_code == 0, result.output
    meta = yaml.safe_load((sample.parent / "2024-05" / "issue.yaml").read_text(encoding="utf-8"))
    source = yaml.safe_load((sample / "issue.yaml").read_text(encoding="utf-8"))
    assert meta["articles"] == source["articles"]
    again = CliRunner().invoke(main, ["new", str(sample.parent)])  # the latest is now 2024-05: 2024-06 follows
    assert again.exit_code == 0 and (sample.parent / "2024-06").is_dir()
    (sample.parent / "2024-07").mkdir()
    refused = CliRunner().invoke(main, ["new", str(sample.parent)])
    assert refused.exit_code == 2 and "2024-07" in refused.stderr and "nothing was written" in refused.stderr


def test_the_newsletter_settings_say_which_skeletons_a_new_issue_gets(make_issue):
    sample = make_issue.copy_sample()
    make_issue.use_sample_settings()
    settings = make_issue.settings.read_text(encoding="utf-8")
    make_issue.settings.write_text(settings + "new_issue: [专题, 研究进展, 研究进展]\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["new", str(sample.parent)])
    assert result.exit_code == 0, result.output
    folder = sample.parent / "2024-05"
    assert load_issue(folder).articles and [article.section for article in load_issue(folder).articles] == [
        "专题", "研究进展", "研究进展"]
    line = len(settings.splitlines()) + 1
    for listed, message in [("[专题, 研究近展]", "new_issue 中的 '研究近展' 不是栏目，是否应为 研究进展？"),
                            ("[研究进展, 专题]", "new_issue 中的 专题 应排在 研究进展 之前")]:
        make_issue.settings.write_text(settings + f"new_issue: {listed}\n", encoding="utf-8")
        refused = CliRunner().invoke(main, ["new", str(sample.parent)])
        assert refused.exit_code == 2 and f"newsletter.yaml:{line}:1: {message}" in refused.stderr, refused.stderr


def test_from_an_issue_with_an_editors_note_leaves_the_note_to_the_new_month(make_issue):
    sample = with_editor_note(make_issue.copy_sample())
    make_issue.use_sample_settings()
    result = CliRunner().invoke(main, ["new", str(sample.parent), "--from", str(sample)])
    assert result.exit_code == 0, result.output
    assert not (sample.parent / "2024-05" / "editor-note.md").exists()
    assert load_issue(sample.parent / "2024-05").note is None
