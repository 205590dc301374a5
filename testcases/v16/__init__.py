"""Conformance cases: /v16."""
