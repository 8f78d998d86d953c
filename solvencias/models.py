"""Solvency requests and certificates (issue: solvencias). Models arrive with that issue."""
