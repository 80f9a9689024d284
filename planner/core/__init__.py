"""What every side shares: the roster as plain ids."""
