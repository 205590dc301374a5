"""fuzz layer."""
