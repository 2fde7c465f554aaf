"""The Docker image builds CSS/JS bundles ahead of time (`manage.py compress`).

Offline compression only works if every `{% compress %}` block has static
content; a block that depends on the request would make production pages
fail with OfflineGenerationError. This builds the bundles as the image
does and renders pages with them, in a subprocess with production settings.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

from django.conf import settings
from django.test import SimpleTestCase

RENDER = """
from django.test import Client
for path in ("/accounts/login/", "/accounts/login_link_sent/"):
    response = Client().get(path)
    assert response.status_code == 200, (path, response.status_code)
    assert b"/static/CACHE/css/" in response.content, path
    assert b"/static/CACHE/js/" in response.content, path
print("rendered")
"""


class CompressOfflineTestCase(SimpleTestCase):
    def test_bundles_build_offline_and_pages_use_them(self) -> None:
        with tempfile.TemporaryDirectory() as root:
            env = {
                **os.environ,
                "DEBUG": "False",
                "COMPRESS_OFFLINE": "True",
                "SECRET_KEY": "compress-test",
                "ALLOWED_HOSTS": "testserver",
                "DB": "sqlite",
                "DB_NAME": str(Path(root) / "db.sqlite"),
                "COMPRESS_ROOT": root,
            }
            manage = [sys.executable, str(Path(settings.BASE_DIR) / "manage.py")]

            def run(*args: str) -> str:
                result = subprocess.run(
                    [*manage, *args], env=env, capture_output=True, text=True, timeout=120
                )
                self.assertEqual(result.returncode, 0, result.stderr)
                return result.stdout

            self.assertIn("Compressed", run("compress", "--force"))
            self.assertTrue(any(Path(root, "CACHE").rglob("*.css")))
            self.assertIn("rendered", run("shell", "--no-imports", "-c", RENDER))
