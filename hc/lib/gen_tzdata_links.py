"""Regenerate hc/lib/tzdata_links.py from the system's IANA tzdata.

Usage (from the repository root):

    python -m hc.lib.gen_tzdata_links [path/to/tzdata.zi]

The committed data module lets the service tell canonical zones from legacy
aliases on machines that do not ship tzdata.zi. Re-run this after a tzdata
upgrade and commit the result.
"""

from __future__ import annotations

import sys
import zoneinfo
from pathlib import Path

DEFAULT_SOURCE = Path("/usr/share/zoneinfo/tzdata.zi")
OUTPUT = Path(__file__).with_name("tzdata_links.py")

# tzdata makes UTC an alias of Etc/UTC; the service (and Django) know it as UTC.
UTC = "UTC"
ETC_UTC = "Etc/UTC"
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
    """Apply the service's choices: UTC is canonical, unloadable zones dropped."""

    def rename(name: str) -> str:
        return UTC if name == ETC_UTC else name

    canonical = frozenset(rename(z) for z in zones if z not in EXCLUDED_ZONES and _loads(rename(z)))

    aliases: dict[str, str] = {}
    for alias in links:
        target = links[alias]
        # Newer tzdata may link to another link; follow the chain to a zone.
        seen = {alias}
        while target in links and target not in seen:
            seen.add(target)
            target = links[target]
        target = rename(target)
        if target in canonical and alias != target:
            aliases[alias] = target
    if UTC in canonical:
        aliases[ETC_UTC] = UTC
    return canonical, aliases


def render(version: str, canonical: frozenset[str], aliases: dict[str, str]) -> str:
    out = [
        f"# Generated from IANA tzdata {version} by `python -m hc.lib.gen_tzdata_links`,",
        "# which reads /usr/share/zoneinfo/tzdata.zi ('Z' lines are zones, 'L' links).",
        '# "UTC" is canonical and Etc/UTC an alias of it; zones that zoneinfo could',
        "# not load on the generating machine, and Factory, are left out.",
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
