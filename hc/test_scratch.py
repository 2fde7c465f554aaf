"""A throwaway database for tests that run manage.py in other processes.

The test database of a TestCase lives inside one process (SQLite in memory,
uncommitted transactions elsewhere), so tests of long-running commands such
as sendalerts create a fresh database of the configured kind, migrate it and
talk to it through `manage.py` subprocesses.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

from django.conf import settings

BASE_DIR = Path(settings.BASE_DIR)


class ScratchDatabase:
    def __init__(self, vendor: str | None = None, host: str = "", port: str = "") -> None:
        self.vendor = vendor or settings.DB
        default = settings.DATABASES["default"]
        self.host = host or str(default.get("HOST") or "")
        self.port = port or str(default.get("PORT") or "")
        self.tmpdir = tempfile.mkdtemp(prefix="hc-scratch-")
        if self.vendor == "sqlite":
            self.name = str(Path(self.tmpdir) / "hc.sqlite")
        else:
            self.name = f"hc_scratch_{uuid.uuid4().hex[:12]}"
        self.extra_env: dict[str, str] = {}
        self.logs: list[Path] = []

    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        env.update(
            {
                "DB": self.vendor,
                "DB_NAME": self.name,
                "DB_HOST": self.host,
                "DB_PORT": self.port,
                "DEBUG": "False",
                "SECRET_KEY": "scratch-secret",
                "SITE_ROOT": "http://testserver",
                "INTEGRATIONS_ALLOW_PRIVATE_IPS": "True",
                "PYTHONUNBUFFERED": "1",
            }
        )
        env.update(self.extra_env)
        return env

    def _admin_execute(self, sql: str) -> None:
        if self.vendor == "postgres":
            import psycopg

            with psycopg.connect(
                host=self.host or None,
                port=self.port or None,
                user="postgres",
                dbname="postgres",
                autocommit=True,
            ) as conn:
                conn.execute(sql.encode())
        elif self.vendor in ("mysql", "mariadb"):
            import MySQLdb  # type: ignore[import-untyped]

            conn = MySQLdb.connect(host=self.host, port=int(self.port or 3306), user="root")
            try:
                conn.cursor().execute(sql)
            finally:
                conn.close()

    def create(self) -> None:
        if self.vendor == "postgres":
            self._admin_execute(f"CREATE DATABASE {self.name}")
        elif self.vendor in ("mysql", "mariadb"):
            self._admin_execute(
                f"CREATE DATABASE {self.name} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"
            )
        self.manage("migrate", "--no-input", timeout=300)

    def drop(self) -> None:
        if self.vendor == "postgres":
            self._admin_execute(f"DROP DATABASE IF EXISTS {self.name} WITH (FORCE)")
        elif self.vendor in ("mysql", "mariadb"):
            self._admin_execute(f"DROP DATABASE IF EXISTS {self.name}")
        shutil.rmtree(self.tmpdir, ignore_errors=True)

    def command(self, *args: str) -> list[str]:
        return [sys.executable, str(BASE_DIR / "manage.py"), *args]

    def manage(self, *args: str, timeout: float = 120) -> str:
        """Run a management command to completion; its output."""
        result = subprocess.run(
            self.command(*args),
            env=self.env(),
            cwd=BASE_DIR,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        if result.returncode != 0:
            raise AssertionError(f"manage.py {args[0]} failed:\n{result.stdout}\n{result.stderr}")
        return result.stdout

    def python(self, code: str, timeout: float = 120) -> str:
        """Run Python code with Django set up against this database; its output."""
        return self.manage("shell", "--no-imports", "-c", code, timeout=timeout)

    def start(self, *args: str) -> subprocess.Popen[str]:
        """Start a long-running management command; output goes to a log file."""
        path = Path(self.tmpdir) / f"{args[0]}-{uuid.uuid4().hex[:6]}.log"
        self.logs.append(path)
        log = open(path, "w+")  # noqa: SIM115
        return subprocess.Popen(
            self.command(*args),
            env=self.env(),
            cwd=BASE_DIR,
            stdout=log,
            stderr=subprocess.STDOUT,
            text=True,
        )

    def output(self) -> str:
        """What the started commands printed so far, for failure messages."""
        return "\n".join(
            f"--- {p.name}\n{p.read_text(errors='replace')[-3000:]}" for p in self.logs
        )

    def __enter__(self) -> ScratchDatabase:
        try:
            self.create()
        except BaseException:
            self.drop()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        self.drop()
