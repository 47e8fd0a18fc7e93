"""Incidents: cases, playbooks, the national report forms and their deadlines, contacts."""
