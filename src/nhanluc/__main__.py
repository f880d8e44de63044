"""The `nhanluc` command: Django's manage.py under the product's name.

`nhanluc load-reference` and `nhanluc load_reference` are the same command; the hyphenated
spelling is the one the documentation uses.
"""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nhanluc.settings")
    from django.core.management import execute_from_command_line

    from nhanluc.core.env import ConfigurationError

    argv = list(sys.argv)
    argv[0] = "nhanluc"
    if len(argv) > 1 and not argv[1].startswith("-"):
        argv[1] = argv[1].replace("-", "_")
    try:
        execute_from_command_line(argv)
    except ConfigurationError as error:
        # A wrong deployment setting: say which variable, without a traceback to dig through.
        print(f"nhanluc: {error}", file=sys.stderr)
        sys.exit(2)


if __name__ == "__main__":
    main()
