"""Negative message conformance: the DUT receives broken OCPP-J messages (harness/fuzz/)."""
