"""Lifecycles and aggregates of minerehab, and the application service that runs commands."""
