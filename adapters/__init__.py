"""Channels: web (REST API and chat), Slack, email, CLI."""
