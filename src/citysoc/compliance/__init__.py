"""Security levels and their baseline requirements: libraries, assessments, level helper."""
