"""Who acts on which database: resolved once per command from flags, env and config.

The root callback stores the global `--db`/`--user` values here; the faces ask this
module rather than threading them through every command signature.
"""

from __future__ import annotations

import getpass
from pathlib import Path

_cli_db: str | None = None
_cli_user: str | None = None


def set_globals(*, db: str | None, user: str | None) -> None:
    global _cli_db, _cli_user
    _cli_db, _cli_user = db, user


def default_db_path() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir("kk", appauthor=False)) / "kk.db"


def db_path() -> Path:
    """`--db`/`KK_DB`, else the config's `db`, else `<user data dir>/kk/kk.db`."""
    if _cli_db:
        return Path(_cli_db).expanduser()
    from kk import config

    configured = config.get("db")
    if configured:
        return Path(configured).expanduser()
    return default_db_path()


def user_name() -> str:
    """`--user`/`KK_USER`, else the config's `user`, else the OS login name."""
    if _cli_user:
        return _cli_user
    from kk import config

    return config.get("user") or getpass.getuser()
