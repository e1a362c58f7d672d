"""The `kollegium` console command: manage.py with shorter names for everyday work.

kollegium seed --schools 10 --teachers-per-school 30   (bulk, deterministic data)
kollegium demo                                           (the demo school and sign-ins)
kollegium serve                                          (gunicorn on 127.0.0.1:8000)
kollegium <any manage.py command>
"""

import os
import sys

ALIASES = {"seed": "seed", "demo": "seed_demo", "serve": "serve"}


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] in ALIASES:
        args[0] = ALIASES[args[0]]
    from django.core.management import execute_from_command_line

    execute_from_command_line(["kollegium", *args])


if __name__ == "__main__":
    main()
