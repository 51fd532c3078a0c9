"""`python -m cuiscan` = the `cuiscan` command."""
from cuiscan.cli import app

app(prog_name="cuiscan")
