"""The `press` command's entry point: Ctrl-C while press starts is an interruption, not a traceback."""

import importlib.abc
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from press.__main__ import INTERRUPTED_WHILE_STARTING, run
from tests.conftest import ROOT, SAMPLE


class InterruptedImport(importlib.abc.MetaPathFinder):
    """Raises KeyboardInterrupt when press.cli is imported, as Ctrl-C during the imports does."""

    def find_spec(self, name, path, target=None):
        if name == "press.cli":
            raise KeyboardInterrupt
        return None


def test_ctrl_c_during_the_imports_exits_130_with_one_line(monkeypatch, capsys):
    monkeypatch.delitem(sys.modules, "press.cli", raising=False)
    monkeypatch.setattr(sys, "meta_path", [InterruptedImport(), *sys.meta_path])
    with pytest.raises(SystemExit) as stopped:
        run()
    assert stopped.value.code == 130
    assert capsys.readouterr().err == INTERRUPTED_WHILE_STARTING + "\n"


class CtrlCWhileImporting(importlib.abc.MetaPathFinder):
    """Sends this process SIGINT while press.cli is imported and, like importlib's weakref
    callbacks, swallows a KeyboardInterrupt raised there, so the import goes on."""

    def find_spec(self, name, path, target=None):
        if name == "press.cli":
            try:
                os.kill(os.getpid(), signal.SIGINT)
                time.sleep(0.01)  # the handler runs here
            except KeyboardInterrupt:
                pass
        return None


def test_ctrl_c_anywhere_in_the_imports_is_held_until_they_finish_then_exits_130(monkeypatch, capsys):
    monkeypatch.delitem(sys.modules, "press.cli", raising=False)
    monkeypatch.setattr(sys, "meta_path", [CtrlCWhileImporting(), *sys.meta_path])
    monkeypatch.setattr(sys, "argv", ["press", "--version"])  # what would run if the Ctrl-C were lost
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        with pytest.raises(SystemExit) as stopped:
            run()
        assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
    finally:
        signal.signal(signal.SIGINT, previous)
    assert stopped.value.code == 130
    assert capsys.readouterr().err == INTERRUPTED_WHILE_STARTING + "\n"


@pytest.mark.parametrize("after", [0.1, 0.2, 0.35])  # after Python's own start-up (~40 ms)
def test_the_installed_command_interrupted_early_leaves_no_traceback_and_no_file(tmp_path, after):
    command = Path(sys.executable).with_name("press")
    target = tmp_path / "快报.pdf"
    build = subprocess.Popen([str(command), "build", "-q", str(SAMPLE), "-o", str(target)],
                             cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    time.sleep(after)
    build.send_signal(signal.SIGINT)
    status = build.wait(timeout=60)
    error = build.stderr.read().decode()
    assert status in (130, 0), error  # 0 only if the build had already finished
    assert "Traceback" not in error
    assert status == 0 or not target.exists()


def test_the_command_leaves_with_its_exit_code_and_everything_it_wrote(tmp_path):
    # run() ends the process with os._exit once the command is done: output still reaches a pipe,
    # exit handlers still run, and each outcome keeps its exit code.
    command = str(Path(sys.executable).with_name("press"))
    built = subprocess.run([command, "build", str(SAMPLE), "-o", str(tmp_path / "a.pdf")], cwd=ROOT,
                           capture_output=True, text=True)
    assert built.returncode == 0 and built.stdout.strip() == str(tmp_path / "a.pdf")
    assert "已生成" in built.stderr
    missing = subprocess.run([command, "build", str(tmp_path / "nowhere")], cwd=ROOT, capture_output=True, text=True)
    assert missing.returncode == 2 and "issue.yaml" in missing.stderr
    usage = subprocess.run([command, "build", "--no-such-option"], capture_output=True, text=True)
    assert usage.returncode == 2 and "No such option" in usage.stderr


def test_leaving_runs_the_exit_handlers_and_maps_codes_as_system_exit_does(tmp_path):
    marker = tmp_path / "handler-ran"
    script = ("import atexit, pathlib, sys; from press.__main__ import leave; "
              f"atexit.register(pathlib.Path({str(marker)!r}).touch); print('said', end=''); leave(eval(sys.argv[1]))")
    for argument, code, error in (("None", 0, ""), ("4", 4, ""), ("'no issue'", 1, "no issue\n")):
        done = subprocess.run([sys.executable, "-c", script, argument], capture_output=True, text=True)
        assert (done.returncode, done.stdout, done.stderr) == (code, "said", error) and marker.exists()
        marker.unlink()


def test_the_command_collects_cyclic_garbage_rarely():
    script = ("import atexit, gc, sys; from press.__main__ import run; "
              "atexit.register(lambda: print(gc.get_threshold()[0])); sys.argv = ['press', '--version']; run()")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert done.stdout.splitlines()[-1] == "50000"


def test_a_profiler_still_gets_its_results(tmp_path):
    # cProfile and coverage write their results at the interpreter's teardown, which leave() skips otherwise.
    profile = tmp_path / "press.prof"
    subprocess.run([sys.executable, "-m", "cProfile", "-o", str(profile), "-m", "press", "--version"],
                   cwd=ROOT, capture_output=True, check=True)
    assert profile.stat().st_size > 0
