"""One call of every read tool, with arguments wide enough to reach records of everyone."""

WIDE = {"start": "2020-01-01", "end": "2030-12-31"}
READ_CALLS = [
    ("find_accounts", {"limit": 100}),
    ("find_contacts", {"limit": 100}),
    ("find_leads", {"limit": 100}),
    ("find_deals", {"limit": 200}),
    ("list_activities", {"limit": 100}),
    ("list_tasks", {"limit": 100}),
    ("query", {"measure": "sum", "filters": {"status": "open"}, "group_by": "owner"}),
    ("query", {"measure": "win_rate", "group_by": "owner"}),
    ("query", {"measure": "avg", "field": "days_to_close", "filters": {"status": "won"}}),
    ("query", {"object": "leads", "measure": "conversion_rate", "group_by": "source"}),
    ("query", {"object": "activities", "limit": 100}),
    ("query", {"object": "contacts", "limit": 100}),
    ("query", {"filters": {"inactive_days": 1}, "limit": 200}),
    ("forecast", WIDE),
    ("next_actions", {"owner": "my_team"}),
    ("search_notes", {"query": "pricing budget competitor security", "limit": 20}),
]
