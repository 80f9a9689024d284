"""`planner serve`: a local web app and JSON API around the same plan, check and report code."""
