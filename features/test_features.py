"""Binds every .feature file under features/ to pytest (pytest-bdd needs one test module)."""

from pytest_bdd import scenarios

scenarios("rongcloud")
scenarios("zim")
scenarios("express")
