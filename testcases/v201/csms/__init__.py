"""Conformance cases: /v201/csms."""
