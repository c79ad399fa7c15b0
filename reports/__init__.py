"""What a run publishes: evidence attached to each scenario, and the files under reports/."""
