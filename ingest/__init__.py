"""Getting data in: demo data, CSV imports, call transcription, retrieval indexing."""
