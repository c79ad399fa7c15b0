"""ZEGO Express profile: contract, reference engine and mutants."""
