"""dut layer."""
