"""The engine stays a plain library: no Django, and nothing loaded before it is needed."""

import subprocess
import sys


def test_engine_does_not_import_django():
    code = (
        "import sys, citysoc.engine, citysoc.engine.cli, citysoc.engine.readers, "
        "citysoc.engine.pipeline; assert 'django' not in sys.modules, 'django was imported'"
    )
    subprocess.run([sys.executable, "-c", code], check=True)  # noqa: S603 - fixed code


def _modules_after(code: str) -> set[str]:
    out = subprocess.run(  # noqa: S603 - our own interpreter, fixed code
        [sys.executable, "-c", f"{code}\nimport sys; print(' '.join(sys.modules))"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return set(out.split())


def test_help_answers_without_loading_numpy_or_pyarrow():
    loaded = _modules_after(
        "import contextlib, io\n"
        "from citysoc.engine.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(SystemExit):\n"
        "    main(['match', '--help'])"
    )
    assert {"numpy", "pyarrow", "numba", "pandas"} & loaded == set()


def test_importing_the_engine_package_loads_only_what_is_used():
    assert {"numpy", "pyarrow", "pandas"} & _modules_after("import citysoc.engine") == set()
    assert "pandas" not in _modules_after("from citysoc.engine import IndicatorSet")


def test_a_whole_match_process_never_imports_pandas(tmp_path):
    indicators = tmp_path / "list.txt"
    indicators.write_text("203.0.113.9\n")
    log = tmp_path / "fw.csv"
    log.write_text("time,src,dst\n2024-02-01T00:00:00,10.0.0.5,203.0.113.9\n")
    loaded = _modules_after(
        "import contextlib, io\n"
        "from citysoc.engine.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    assert main(['match', '--indicators', {str(indicators)!r}, '--json',"
        f" {str(log)!r}], whole_process=True) == 0"
    )
    assert "pyarrow" in loaded  # the run really matched
    assert "pandas" not in loaded


def test_the_format_choices_are_the_registered_readers():
    from citysoc.engine.cli import reader_names
    from citysoc.engine.readers import READERS

    assert reader_names() == sorted(READERS)
