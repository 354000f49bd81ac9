"""Bappeda: invites, results, program corrections and bulk status updates."""
