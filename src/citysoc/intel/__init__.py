"""Threat intelligence: indicator lists, sightings on units, clean-up tasks."""
