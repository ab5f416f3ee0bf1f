"""Masa: a point of sale for restaurants and hotels."""
