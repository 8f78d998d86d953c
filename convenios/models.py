"""Payment agreements and settlements (issue: convenios). Models arrive with that issue."""
