"""Endpoint sweep: agents, enrolment, campaigns, signed results, hits that become clean-up work."""
