"""EV-emulator backends that are not SCPI: shell hooks and vendor plug-ins."""
