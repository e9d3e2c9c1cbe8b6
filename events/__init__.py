"""Event metadata, codecs and store configuration: how facts are written down and kept."""
