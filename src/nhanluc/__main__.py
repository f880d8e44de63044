"""The `nhanluc` command: Django's manage.py under the product's name.

`nhanluc load-reference` and `nhanluc load_reference` are the same command; the hyphenated
spelling is the one the documentation uses.
"""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nhanluc.settings")
    from django.core.management import execute_from_command_line

    argv = list(sys.argv)
    argv[0] = "nhanluc"
    if len(argv) > 1 and not argv[1].startswith("-"):
        argv[1] = argv[1].replace("-", "_")
    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
