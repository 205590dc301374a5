"""Conformance cases: /v201."""
