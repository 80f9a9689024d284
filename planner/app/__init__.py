"""The commands: plan, check an edited roster, changes, reasons, forecast, tariffs, compare, capacity."""
