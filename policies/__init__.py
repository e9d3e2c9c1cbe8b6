"""Rules, one module per family: guards that refuse a command, and (with the audit) checks over histories.

Guards are plain functions of the aggregates and the command; they raise `Refused`.
They refuse only the impossible or unauthorised: a fact that breaks a compliance rule
is recorded, and the audit flags it.
"""
