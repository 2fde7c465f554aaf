"""The configuration table documents exactly the variables settings.py reads."""

from __future__ import annotations

import ast
import re
from pathlib import Path
from unittest import TestCase

ROOT = Path(__file__).resolve().parents[3]
DOC = ROOT / "templates" / "docs" / "self_hosted_configuration.md"


def variables_read_by_settings() -> dict[str, str]:
    """Variable name -> the env_* reader used, found statically (all branches)."""
    tree = ast.parse((ROOT / "hc" / "settings.py").read_text())
    found = {}
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id.startswith("env_")
            and node.args
            and isinstance(node.args[0], ast.Constant)
        ):
            found[str(node.args[0].value)] = node.func.id
    return found


def documented_variables() -> dict[str, bool]:
    """Variable name -> whether the table marks it as a secret (†)."""
    rows = re.findall(r"^\| `([A-Z0-9_]+)`( †)? \|", DOC.read_text(), re.MULTILINE)
    return {name: bool(dagger) for name, dagger in rows}


class SettingsDocTestCase(TestCase):
    def test_every_variable_is_documented_and_nothing_else(self) -> None:
        self.assertEqual(set(variables_read_by_settings()), set(documented_variables()))

    def test_secrets_and_only_secrets_are_marked(self) -> None:
        readers = variables_read_by_settings()
        for name, secret in documented_variables().items():
            with self.subTest(name=name):
                self.assertEqual(secret, readers[name] == "env_secret")
