"""`python -m cuiscan` = the `cuiscan` command."""
from cuiscan.cli import run

run()
