"""Property-based fuzzing: schema-valid CALLs from the official schemas (harness/fuzz/)."""
