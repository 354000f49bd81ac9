"""Roles: opening an invite, and the command menu that fits each role."""
