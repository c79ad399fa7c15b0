"""Independent clients: one per vendor, written only from the vendor pages (/work/shared/spec/)
and the suite's public docs (README.md, docs/), never from the reference clients, the oracles,
the steps or the scenarios. They prove the suite does not reject what the pages permit
(docs/findings/independent-clients.md; tests/test_independent_clients.py runs them)."""
