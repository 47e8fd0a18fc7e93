"""citysoc-agent: enrol a host, run malware sweeps, upload signed results."""

VERSION = "0.1.0"
