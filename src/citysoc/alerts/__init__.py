"""Alerts from monitoring tools: intake, dedupe, acknowledgement, escalation."""
