"""Tests of stage 3, the stores: the embedded and a real remote store answer alike, and every named query runs."""
