"""Settings of the web server the bench starts: the test settings, but with persistent database
connections as in production (test.py turns them off for live-server tests)."""
from issscobros.settings.test import *  # noqa: F401,F403
from issscobros.settings.test import DATABASES

DATABASES["default"]["CONN_MAX_AGE"] = 60
