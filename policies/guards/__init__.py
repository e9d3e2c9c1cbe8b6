"""Command-time guards: plain functions that refuse the impossible or unauthorised (`Refused`)."""
