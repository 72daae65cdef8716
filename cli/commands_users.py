"""`saraban user add|list`."""

from __future__ import annotations

import typer
from sqlalchemy import select

from cli.main import err, handle_errors, settings, user_app
from ingest.archive import Archive
from schemas.enums import Role, Secrecy
from schemas.tables import User
from store.users import add_user


@user_app.command("add")
@handle_errors
def user_add(
    username: str = typer.Argument(...),
    role: Role = typer.Option(Role.reader, help="reader | clerk | records_officer | admin"),
    clearance: Secrecy = typer.Option(Secrecy.none, help="none | confidential | secret | top_secret"),
    name: str = typer.Option("", help="ชื่อที่แสดง (display name)"),
    password: str = typer.Option(..., prompt=True, hide_input=True, confirmation_prompt=True,
                                 envvar="SARABAN_NEW_PASSWORD"),
) -> None:
    """เพิ่มผู้ใช้ (add a user)."""
    archive = Archive.open(settings())
    with archive.db.session() as session:
        add_user(session, username, password, role=role, clearance=clearance, display_name=name)
    err.print(f"เพิ่มผู้ใช้ {username} แล้ว ({role.value}, {clearance.value})")
    archive.close()


@user_app.command("list")
@handle_errors
def user_list() -> None:
    """รายชื่อผู้ใช้ (list users)."""
    archive = Archive.open(settings())
    with archive.db.session() as session:
        for user in session.scalars(select(User).order_by(User.username)):
            typer.echo(f"{user.username}\t{user.role}\t{user.clearance}\t{user.display_name}")
    archive.close()
