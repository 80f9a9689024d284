"""`planner compare`: scenarios and sweeps side by side, locally or on Dask."""
