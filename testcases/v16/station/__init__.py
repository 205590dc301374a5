"""Conformance cases: /v16/station."""
