"""Step definitions: how each Gherkin sentence drives clients and checks what they did."""
