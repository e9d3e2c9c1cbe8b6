"""Generators of demo and test data (histories, synthetic national stores); not shipped with the package."""
