"""Bring your CRM: Salesforce and HubSpot exports, or any CSV with a mapping file, into Dealwise.

export = read_export("salesforce", Path("export/"))
report = run_import(session, export, importing_user(session, None), dry_run=True)
"""

from ingest.imports.report import ImportReport, Problem
from ingest.imports.runner import SOURCES, importing_user, read_export, run_import

__all__ = ["SOURCES", "ImportReport", "Problem", "importing_user", "read_export", "run_import"]
