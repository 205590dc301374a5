"""Physical (rig) cases: what the station does electrically against what it reports."""
