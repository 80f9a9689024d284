"""planner: capacity and staffing planning for Dutch youth-care day programmes."""

__version__ = "0.1.0"
