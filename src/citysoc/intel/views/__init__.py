"""Botnet-list pages, one module per page family (lists, clean-up tasks, logs, city).

Unit-owned rows (tasks, sightings, logs, folders, evidence) come only through
`visible_to(user)`, so another unit's object answers 404; changes check `can_edit` and
answer 403.
"""
