"""The adapter contract and the built-in implementations (reference clients and mutants)."""
