"""Loads the conformance plugin and the step libraries for every pytest run in this repo."""

pytest_plugins = ["fixtures.plugin", "steps.common", "steps.rongcloud", "steps.zim", "steps.express"]
