"""24/7 duty: rosters, who is on duty now, the duty log (sổ nhật ký trực)."""
