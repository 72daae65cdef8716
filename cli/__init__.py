"""The saraban command."""
