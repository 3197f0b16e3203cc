"""The one place the version is written: the package's metadata, `__version__`, the plugin
and its schema all read it (CHANGELOG.md says what each version changed)."""

__version__ = "0.2.0"
