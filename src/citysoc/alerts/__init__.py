"""Alerts: intake from monitoring tools, dedupe, acknowledgement, escalation, incidents."""
