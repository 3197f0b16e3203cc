"""The cognito-user-import plugin's entry point: Pulumi runs `python <this folder>` in the
virtualenv PulumiPlugin.yaml names, which Pulumi creates from requirements.txt beside it.
What it serves, and how, is in `cognito_user_import.plugin`."""

import sys

from cognito_user_import.plugin import main

if __name__ == "__main__":
    main(sys.argv[1:])
