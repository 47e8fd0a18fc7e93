"""Reading the project's YAML data (libraries, policies, playbooks, demo data): one loader.

PyYAML's C parser (libyaml, in PyYAML's wheels) reads the same documents into the same
values 8–10× faster than its pure-Python parser; both use the safe constructor, so no
document can build arbitrary objects. The pure-Python parser is the fallback where PyYAML
was built without libyaml.
"""

from __future__ import annotations

from typing import Any

import yaml

_Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load(text: str) -> Any:
    """The document in `text` as plain Python values (safe: no object construction).

    Raises `yaml.YAMLError` with the line and column of a syntax error, as `safe_load`.
    """
    return yaml.load(text, Loader=_Loader)  # noqa: S506 - a safe loader, chosen above
