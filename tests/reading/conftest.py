"""Tests of stage 1, reading: each reading rule on a sentence of its own, the structure of whole documents, the
registries."""
