"""`python -m cli` runs the saraban command."""

from cli.main import app

app()
