"""Portfolios and collection cases (issue: mora). Models arrive with that issue."""
