"""The one YAML loader reads every data file the project ships exactly as the safe pure-Python
loader does, and stays safe."""

from pathlib import Path

import pytest
import yaml

from citysoc.lib import yamldata

SHIPPED = sorted(Path(yamldata.__file__).resolve().parents[1].rglob("*.yaml"))


def test_the_project_ships_yaml_data():
    assert len(SHIPPED) >= 5


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_every_shipped_file_reads_as_the_pure_python_loader_reads_it(path):
    text = path.read_text(encoding="utf-8")
    assert yamldata.load(text) == yaml.load(text, Loader=yaml.SafeLoader)


def test_a_document_cannot_build_python_objects():
    with pytest.raises(yaml.YAMLError):
        yamldata.load("!!python/object/apply:os.system ['true']")


def test_a_syntax_error_names_its_line():
    with pytest.raises(yaml.YAMLError, match="line 2"):
        yamldata.load("a: 1\nb: [unclosed\n")
