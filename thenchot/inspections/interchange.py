"""The `inspections` section of the interchange format (placeholder, filled in below)."""
