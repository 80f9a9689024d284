"""`planner forecast`: budget forecasts from rosters and allocations."""
