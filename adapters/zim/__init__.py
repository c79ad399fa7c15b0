"""ZEGOCLOUD ZIM profile: contract, reference client and mutants."""
