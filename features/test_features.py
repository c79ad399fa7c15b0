"""Binds every .feature file of the suite to pytest (pytest-bdd needs one test module).

Paths are absolute, so a caller's ``bdd_features_base_dir`` never moves them.
"""

from pathlib import Path

from pytest_bdd import scenarios

HERE = Path(__file__).parent

scenarios(str(HERE / "rongcloud"))
scenarios(str(HERE / "zim"))
scenarios(str(HERE / "express"))
