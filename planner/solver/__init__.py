"""The optimiser: the index-based problem, the CP-SAT formulation, the phases of a solve, decomposition."""
