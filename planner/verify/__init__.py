"""The independent checker: every rule re-checked on a roster from the raw inputs, no solver code."""
