"""The virtual lab: SCPI instrument servers on loopback coupled to the reference station."""
