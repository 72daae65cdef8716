"""The `saraban` command. Errors are turned into messages and exit codes here only."""

from __future__ import annotations

import os

os.environ.setdefault("HAYSTACK_TELEMETRY_ENABLED", "False")

import functools  # noqa: E402
import json  # noqa: E402
import sys  # noqa: E402
from collections.abc import Callable  # noqa: E402
from typing import Any, TypeVar  # noqa: E402

import typer  # noqa: E402
from rich.console import Console  # noqa: E402

from schemas.errors import SarabanError  # noqa: E402
from schemas.settings import Settings  # noqa: E402

app = typer.Typer(help="Saraban Archive: คลังหนังสือราชการ (Thai official letters archive).",
                  no_args_is_help=True, pretty_exceptions_enable=False)
user_app = typer.Typer(help="ผู้ใช้ (users)", no_args_is_help=True)
app.add_typer(user_app, name="user")
err = Console(stderr=True)
F = TypeVar("F", bound=Callable[..., Any])


def settings() -> Settings:
    """Settings from the environment (SARABAN_*)."""
    return Settings()


def handle_errors(func: F) -> F:
    """Turn a SarabanError into its message on stderr and its exit code."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except SarabanError as exc:
            err.print(f"[red]ผิดพลาด (error):[/red] {exc.message}")
            raise typer.Exit(exc.exit_code) from None

    return wrapper  # type: ignore[return-value]


def emit_json(obj: object) -> None:
    """One line of JSON on stdout (UTF-8, Thai unescaped)."""
    sys.stdout.write(json.dumps(obj, ensure_ascii=False, default=str) + "\n")
    sys.stdout.flush()


from cli import commands_archive, commands_lending, commands_search  # noqa: E402,F401,I001
from cli import commands_retention, commands_serve, commands_users  # noqa: E402,F401,I001
