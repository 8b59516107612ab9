"""English dates, one style everywhere (community.formats; live cards build the same text in
the browser from DATETIME_FORMAT, so only the letters j F Y H i and escapes are used)."""

DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"
MONTH_DAY_FORMAT = "j F"
YEAR_MONTH_FORMAT = "F Y"
