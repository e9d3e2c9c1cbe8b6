"""The audit: one pass over the log (`engine`), state kept for re-audits (`kept`), and what the CLI calls (`service`)."""
