"""`planner capacity`: groups and staff per month over a horizon, with waiting priced."""
