"""Readers: pure functions from normalised text to facts with their spans (no graph, no store)."""
