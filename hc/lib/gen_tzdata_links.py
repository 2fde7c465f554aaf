"""Regenerate hc/lib/tzdata_links.py from IANA tzdata.

Usage (from the repository root):

    python -m hc.lib.gen_tzdata_links [path/to/tzdata.zi]

The committed data module lets the service tell canonical zones from legacy
aliases on any machine. The source is the pinned `tzdata` package's copy of
tzdata.zi: plain IANA data, unlike Debian's, which is built with "backzone"
and keeps names such as CET as zones where IANA makes them links. Re-run this
after upgrading the `tzdata` pin and commit the result.
"""

from __future__ import annotations

import sys
import zoneinfo
from pathlib import Path

import tzdata  # type: ignore[import-untyped]  # a data package without type hints

DEFAULT_SOURCE = Path(tzdata.__file__).parent / "zoneinfo" / "tzdata.zi"
OUTPUT = Path(__file__).with_name("tzdata_links.py")

# tzdata makes these links, but they are the names the service (and Django)
# use, and the API contract lists them as canonical beside their Etc/ zones.
KEPT_LINKS = frozenset({"UTC", "GMT"})
# A placeholder meaning "local time is unknown", not a place anyone lives in.
EXCLUDED_ZONES = frozenset({"Factory"})


def parse_tzdata(text: str) -> tuple[str, frozenset[str], dict[str, str]]:
    """Return (version, zone names, alias -> target) as written in tzdata.zi."""
    version = "unknown"
    zones: set[str] = set()
    links: dict[str, str] = {}
    for line in text.splitlines():
        fields = line.split()
        if line.startswith("# version") and len(fields) >= 3:
            version = fields[2]
        elif fields[:1] == ["Z"] and len(fields) >= 2:
            zones.add(fields[1])
        elif fields[:1] == ["L"] and len(fields) >= 3:
            links[fields[2]] = fields[1]
    return version, frozenset(zones), links


def _loads(name: str) -> bool:
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        return False
    return True


def canonical_data(
    zones: frozenset[str], links: dict[str, str]
) -> tuple[frozenset[str], dict[str, str]]:
    """Zones plus KEPT_LINKS are canonical; other links are aliases of zones."""
    names = (zones | (KEPT_LINKS & links.keys())) - EXCLUDED_ZONES
    canonical = frozenset(name for name in names if _loads(name))

    aliases: dict[str, str] = {}
    for alias in links.keys() - canonical:
        target = links[alias]
        # Newer tzdata may link to another link; follow the chain to a zone.
        seen = {alias}
        while target in links and target not in seen and target not in canonical:
            seen.add(target)
            target = links[target]
        if target in canonical:
            aliases[alias] = target
    return canonical, aliases


def render(version: str, canonical: frozenset[str], aliases: dict[str, str]) -> str:
    out = [
        f"# Generated from IANA tzdata {version} by `python -m hc.lib.gen_tzdata_links`,",
        "# which reads the tzdata package's tzdata.zi ('Z' lines are zones, 'L' links).",
        "# UTC and GMT stay canonical beside Etc/UTC and Etc/GMT; zones that zoneinfo",
        "# could not load on the generating machine, and Factory, are left out.",
        "# Do not edit by hand: re-run the generator after a tzdata upgrade.",
        "",
        "from __future__ import annotations",
        "",
        f'TZDATA_VERSION = "{version}"',
        "",
        "CANONICAL_ZONES: frozenset[str] = frozenset(",
        "    {",
    ]
    out += [f'        "{name}",' for name in sorted(canonical)]
    out += [
        "    }",
        ")",
        "",
        "ALIASES: dict[str, str] = {",
    ]
    out += [f'    "{alias}": "{aliases[alias]}",' for alias in sorted(aliases)]
    out += ["}", ""]
    return "\n".join(out)


def generate(source: Path) -> str:
    version, zones, links = parse_tzdata(source.read_text(encoding="utf-8"))
    canonical, aliases = canonical_data(zones, links)
    return render(version, canonical, aliases)


def main(argv: list[str]) -> None:
    source = Path(argv[1]) if len(argv) > 1 else DEFAULT_SOURCE
    OUTPUT.write_text(generate(source), encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv)
