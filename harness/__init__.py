"""OCPP conformance harness: plays the CSMS or the charging station against a device under test."""
