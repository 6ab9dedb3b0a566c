"""The dealwise command line."""
