"""Reference charging station: a conforming OCPP 1.6J / 2.0.1 station run as its own process.

`python -m harness.sim station ...` (see `main.py`). It connects to a CSMS, boots, charges two
EVSEs with a small electrical model, answers the CSMS's commands, and is driven locally through
an HTTP control API (`control.py`). `--fault NAME` switches on one documented deviation
(`harness/sim/faults.py`) so the conformance cases can be proven able to fail.
"""
