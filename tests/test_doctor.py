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
    assert "ok      compiled C declarations: loaded from" in result.output


def test_a_missing_subsetter_says_how_to_install_it(monkeypatch):
    from weasyprint.text import ffi

    monkeypatch.setattr(ffi, "harfbuzz_subset", None)
    [subset] = [f for f in doctor.libraries() if f.name == "HarfBuzz subsetter"]
    assert not subset.ok and "sudo apt-get install libharfbuzz-subset0" in subset.fix


def test_a_missing_font_fails_with_its_fix(tmp_path):
    result = CliRunner().invoke(main, ["doctor", "--fonts", str(tmp_path)])
    assert result.exit_code == 1
    assert "PROBLEM font PressHei-Bold.otf: missing from" in result.output
    assert f"{len(doctor.FACES)} problems" in result.output


def test_an_unwritable_declarations_cache_is_named_with_its_fix():
    import os
    import subprocess
    import sys

    environment = {**os.environ, "PRESS_CACHE_DIR": "/dev/null/press"}
    result = subprocess.run([sys.executable, "-m", "press", "doctor"], cwd=ROOT, env=environment,
                            capture_output=True, text=True)
    assert result.returncode == 1
    assert "PROBLEM compiled C declarations: not loaded" in result.stdout
    assert "fix: make /dev/null/press writable (or set PRESS_CACHE_DIR to a writable folder)" in result.stdout


def test_a_font_cut_short_or_saved_under_another_face_s_name_is_a_problem(tmp_path):
    import shutil

    for name in doctor.FACES:
        shutil.copy(ROOT / "fonts" / name, tmp_path / name)
    song = tmp_path / "PressSong-Regular.otf"
    song.write_bytes(song.read_bytes()[:100_000])
    shutil.copy(ROOT / "fonts" / "PressHei-Bold.otf", tmp_path / "PressKai-Regular.ttf")
    findings = {finding.name: finding for finding in doctor.fonts(tmp_path)}
    assert findings["font PressSong-Regular.otf"].found.startswith("cut short at 100000 bytes")
    assert findings["font PressKai-Regular.ttf"].found == ("holds the face PressHei, not PressKai: "
                                                           "another face saved under this name")
    assert findings["font PressHei-Bold.otf"].ok and findings["fonts folder"].found == str(tmp_path)


def test_a_font_that_cannot_be_read_or_is_no_file_is_a_problem(tmp_path):
    import os
    import shutil

    from tests.conftest import unreadable

    shutil.copy(ROOT / "fonts" / "PressSerif-Italic.otf", tmp_path)
    os.mkfifo(tmp_path / "PressSong-Regular.otf")  # reading it waited for a writer
    with unreadable(tmp_path / "PressSerif-Italic.otf"):
        findings = {finding.name: finding for finding in doctor.fonts(tmp_path)}
    assert "Permission denied" in findings["font PressSerif-Italic.otf"].found
    assert findings["font PressSong-Regular.otf"].found == "unreadable: [Errno 22] it is a FIFO, not a regular file: " \
        f"'{tmp_path / 'PressSong-Regular.otf'}'"
