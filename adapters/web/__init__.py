"""The FastAPI app: REST API, web chat pages, Slack events."""
