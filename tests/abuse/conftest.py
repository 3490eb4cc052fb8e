"""Probes of an attacker and of a heavy user, kept as tests: every request that once gave a 500, ran outside the
limits, crashed a worker or hung, and every build that once replaced a good knowledge base with a bad one. Each
probe is the reproduction of a defect of issue 17 (or of the worker part of issue 22)."""
