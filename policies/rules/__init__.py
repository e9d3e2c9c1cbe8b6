"""Audit-time rule families: checks over stored histories, one module per family."""
