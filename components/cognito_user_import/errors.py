"""The one base of every error a user reads as a message.

The hosts (Pulumi's dynamic-provider host, the plugin) show a `UserError` as its message,
in one line, exactly as written: it names the input, the setting or the fix. Anything else
that escapes a provider method is a bug, shown as one line naming a file that holds its
traceback (host.py), so a bug is never mistaken for advice.
"""


class UserError(Exception):
    """Something the person running Pulumi can act on; the message says what and how."""
