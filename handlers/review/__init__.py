"""Screens shared by the officials: the proposal card, its actions, notes and ranking."""
