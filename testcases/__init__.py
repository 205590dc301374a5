"""Conformance cases, by OCPP version and system under test."""
