"""Screens of the convenios app."""
