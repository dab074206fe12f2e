"""Offline work: training the collaborative models and evaluating the zones (make eval)."""
