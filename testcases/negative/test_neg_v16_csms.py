"""Negative conformance, OCPP 1.6, CSMS under test (the harness plays the charging station).

One case per action the DUT receives, plus the framing case; see harness/fuzz/negative_family.py.
"""

from __future__ import annotations

from harness.fuzz.negative_family import family
from harness.ocppj.versions import OcppVersion

globals().update(family(OcppVersion.V16, "csms", __name__))
