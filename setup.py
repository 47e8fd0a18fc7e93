"""The compiled part of the package; everything else is declared in pyproject.toml.

`citysoc.engine._scan` is the matching engine's scanning kernels in plain C99 over the
Python buffer protocol (sources in src/citysoc/engine/kernel/c/): it needs a C compiler and
the Python headers, nothing else (no NumPy headers, no Cython). `pip install .` and
`pip install -e .` build it; where it cannot be built the install goes on without it.
"""

from setuptools import Extension, setup

C = "src/citysoc/engine/kernel/c"

setup(
    ext_modules=[
        Extension(
            "citysoc.engine._scan",
            sources=[
                f"{C}/{name}.c"
                for name in ("prefilter", "columns", "domains", "entries", "build", "module")
            ],
            include_dirs=[C],
            depends=[f"{C}/scan.h", f"{C}/fields.h"],
            extra_compile_args=["-std=c99", "-O2", "-Wall"],
            # A machine without a compiler still installs: the engine then takes its
            # Arrow/NumPy path (same answers, slower; `kernel.available()` is False).
            optional=True,
        )
    ]
)
