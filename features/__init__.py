"""The specification as Gherkin, and the requirement registry every tag comes from."""
