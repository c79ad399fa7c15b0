"""Loads the step libraries for every pytest run in this repo.

The conformance plugin itself (fixtures.plugin) is not listed here: it is the ``pytest11`` entry
point of the installed project, so its options are known before the command line is parsed.
"""

pytest_plugins = ["steps.common", "steps.rongcloud", "steps.zim", "steps.express"]
