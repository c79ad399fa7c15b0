"""Maintenance scripts of the suite (run with python -m scripts.<name>)."""
