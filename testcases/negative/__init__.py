"""Negative message conformance: the DUT receives broken OCPP-J messages (harness/fuzz/).

One case instance per action, one named check per mutation. Each case instance launches a
fresh reference simulator, and that launch, not the mutations, is what a case costs: measured
on the 2-core project machine (shared with other jobs), a negative case takes 0.67 s median,
of which the simulator start and boot take about 0.6 s; the ~2000 answers of the whole family
(1933 payload mutations of the 1.6 and 2.0.1 requests each role receives, plus 10 framing
mutations per version and role) take under 2 s together. The whole family, 109 instances
(105 actions + 4 framing cases), ran in 75 s. One pytest instance per mutation (ids like
`NEG_201_CS_SetVariables[missing-required:setVariableData]`) would launch ~2000 simulators,
about 22 minutes, far over the 90 s `make demo` and CI allow. So every check and report line
starts with the mutation id instead, e.g. `[missing-required:setVariableData] ...`, and the
verdict of an action's case is the worst of its mutations.
"""
