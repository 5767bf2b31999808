"""The `varna` command: a friendlier face on manage.py.

    varna demo                                   load the Sollentuna demo (idempotent)
    varna plan import FILE --municipality SLUG   import a plan from YAML (atomic)
    varna plan export --municipality SLUG [--plan SLUG] [-o FILE]
    varna municipality create --name NAME --code 0186 [--admin EMAIL ...]   a new municipality, in setup
    varna backup [-o FILE] [--format json|pg]    database and uploaded files in one .tar.gz
    varna restore FILE                           into an empty database
    varna <any manage.py command> ...
"""

from __future__ import annotations

import os
import sys

_ALIASES = {
    ("demo",): ["load_demo"],
    ("plan", "import"): ["plan_import"],
    ("plan", "export"): ["plan_export"],
    ("municipality", "create"): ["municipality_create"],
}


def translate(argv: list[str]) -> list[str]:
    """Map `varna plan import ...` to `manage.py plan_import ...`."""
    for prefix, replacement in sorted(_ALIASES.items(), key=lambda item: -len(item[0])):
        if tuple(argv[: len(prefix)]) == prefix:
            return replacement + argv[len(prefix):]
    return argv


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "varna.settings.dev")
    from django.core.management import execute_from_command_line

    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in {"-h", "--help"}:
        print(__doc__)
        args = args if args else ["help"]
    execute_from_command_line(["varna", *translate(args)])


if __name__ == "__main__":
    main()
