"""The commands of the command line, grouped as the README groups them: parsing and printing only."""
