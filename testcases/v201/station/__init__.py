"""Conformance cases: /v201/station."""
