"""Root conftest: the OCPP plugin itself is registered by the `pytest11` entry point.

Run output lives under reports/ and is never collected as tests.
"""

collect_ignore = ["reports"]
