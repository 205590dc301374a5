"""How the 1.6 reference CSMS numbers transactions (1.6 §4.8 StartTransaction.conf).

A conforming Central System gives every transaction its own id: a process-wide counter
(`Registry.next_transaction_id`). Faults: `transaction-id-zero` answers 0 for every
transaction; `csms-tx-id-reused-after-reconnect` counts per connection, so after a reconnect
the ids 1, 2, ... are handed out again (`StationRecord.connection_tx_count`).
"""

from __future__ import annotations

from harness.sim.csms.context import CsmsContext
from harness.sim.csms.state import StationRecord


def next_transaction_id(ctx: CsmsContext, record: StationRecord) -> int:
    """The transactionId for the next StartTransaction.conf of `record`'s station."""
    if ctx.fault("transaction-id-zero"):
        return 0
    if ctx.fault("csms-tx-id-reused-after-reconnect"):
        connection, count = record.connection_tx_count
        if connection != record.connections:
            connection, count = record.connections, 0
        record.connection_tx_count = (connection, count + 1)
        return count + 1
    return ctx.registry.next_transaction_id()
