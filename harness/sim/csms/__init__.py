"""The reference CSMS: a conforming OCPP 1.6J / 2.0.1 central system run as its own process.

`python -m harness.sim csms --help` lists the options; `app.CsmsApp` runs it in-process.
Stations reach it over websockets, test cases make it act through the HTTP trigger API
(`api.py`), and `--fault NAME` switches on one documented deviation (`harness/sim/faults.py`).
"""
