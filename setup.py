"""Builds the Cython extensions in src/kevlar/_fast/ (everything else is in pyproject.toml)."""

from Cython.Build import cythonize
from setuptools import Extension, setup

extensions = [
    Extension("kevlar._fast.engine", ["src/kevlar/_fast/engine.pyx"]),
    Extension("kevlar._fast.blockcache", ["src/kevlar/_fast/blockcache.pyx"]),
]

setup(ext_modules=cythonize(extensions, language_level=3, compiler_directives={"binding": False}))
