"""The compiled part of the package; everything else is declared in pyproject.toml.

`citysoc.engine._scan` is the matching engine's scanning kernel in plain C99 over the
Python buffer protocol: it needs a C compiler and the Python headers, nothing else (no
NumPy headers, no Cython). `pip install .` and `pip install -e .` build it.
"""

from setuptools import Extension, setup

setup(
    ext_modules=[
        Extension(
            "citysoc.engine._scan",
            sources=["src/citysoc/engine/_scan.c"],
            extra_compile_args=["-std=c99", "-O2", "-Wall"],
        )
    ]
)
