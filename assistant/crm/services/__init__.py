"""Domain operations shared by REST routes, tools, importers and channels.

Every read goes through assistant.crm.access; every write validates, audits and flushes.
"""
