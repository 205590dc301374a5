"""Conformance cases: /v16/csms."""
