"""`press doctor`: a complete set-up passes; a missing subsetter or font is named with its fix."""

from click.testing import CliRunner

from press import doctor
from press.cli import main
from tests.conftest import ROOT


def test_this_setup_has_everything(monkeypatch):
    monkeypatch.chdir(ROOT)
    result = CliRunner().invoke(main, ["doctor"])
    assert result.exit_code == 0, result.output
    assert "ok      HarfBuzz subsetter: libharfbuzz-subset present" in result.output
    assert "ok      font PressSong-Regular.otf" in result.output


def test_a_missing_subsetter_says_how_to_install_it(monkeypatch):
    from weasyprint.text import ffi

    monkeypatch.setattr(ffi, "harfbuzz_subset", None)
    [subset] = [f for f in doctor.libraries() if f.name == "HarfBuzz subsetter"]
    assert not subset.ok and "sudo apt-get install libharfbuzz-subset0" in subset.fix


def test_a_missing_font_fails_with_its_fix(tmp_path):
    result = CliRunner().invoke(main, ["doctor", "--fonts", str(tmp_path)])
    assert result.exit_code == 1
    assert "PROBLEM font PressHei-Bold.otf: missing from" in result.output
    assert "3 problems" in result.output
