"""The shapes of data: enums, letter metadata, tables, settings and errors.

Nothing here imports another room of the project (see docs/DESIGN.md).
"""
