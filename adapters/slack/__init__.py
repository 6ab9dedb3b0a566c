"""Slack channel: mentions, DMs, the /dealwise command, audio clips and Confirm/Cancel buttons."""
