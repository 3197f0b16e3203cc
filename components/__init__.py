"""Reusable Pulumi parts of this project."""
