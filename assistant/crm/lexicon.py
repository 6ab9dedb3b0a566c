"""Words every layer reads the same way: month names and the multipliers of amounts ("50k", "1.2m")."""

import calendar

MONTHS: dict[str, int] = {name.lower(): index for index, name in enumerate(calendar.month_name) if name}
MONTHS.update({name.lower(): index for index, name in enumerate(calendar.month_abbr) if name})
MONTHS["sept"] = 9
MULTIPLIERS: dict[str, float] = {
    "k": 1_000,
    "thousand": 1_000,
    "m": 1_000_000,
    "mm": 1_000_000,
    "million": 1_000_000,
    "b": 1e9,
}
