"""Email channel: an SMTP listener (or IMAP polling), request handling, and replies by SMTP in the same thread."""
