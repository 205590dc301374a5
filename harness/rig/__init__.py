"""rig layer."""
