"""The checkout's own pytest configuration (not shipped in the wheel).

The suite's folders are imported as ``reconnection_conformance.*`` through the links in
``reconnection_conformance/``; collecting the same files again under their top-level names
would load every module twice, so pytest reaches them only through the package. The step
libraries and the plugin are loaded by the plugin itself (``reconnection_conformance.fixtures.plugin``,
the project's ``pytest11`` entry point) once a run asks for the suite.
"""

collect_ignore = ["features", "steps", "fixtures", "adapters", "reports", "node_modules"]
