"""Placeholder package for the pre-commit hooks with `language: python`.

pre-commit runs `pip install .` in a clone of this repository. This file makes that install pull
the prebuilt smm-lint wheel (the binary, built from pypi/pyproject.toml) from the package index
instead of compiling the crate. It installs no code of its own.

SMM_LINT_VERSION must equal the version in Cargo.toml; scripts/check-version checks it.
"""

from setuptools import setup

SMM_LINT_VERSION = "0.1.0"

setup(
    name="smm-lint-pre-commit-placeholder",
    version="0.0.0",
    description="Installs the smm-lint wheel for the pre-commit hooks of this repository",
    install_requires=[f"smm-lint=={SMM_LINT_VERSION}"],
    # An empty list: without it setuptools would try to discover packages in src/, fixtures/, ...
    packages=[],
    python_requires=">=3.8",
)
