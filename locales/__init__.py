"""Gettext catalogues (.po), shipped as package data."""
