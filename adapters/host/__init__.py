"""Client hosts: the processes the client under test runs in (docs/host-protocol.md)."""
