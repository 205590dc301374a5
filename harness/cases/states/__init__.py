"""Reusable states of the official test cases (2.0.1 Part 6 "Reusable States"), per role."""
