"""Vulnerability scanner reports: scans, findings, dedupe and re-import (issue 16)."""
