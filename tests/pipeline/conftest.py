"""Tests of the pipeline (``plan_kb.build``): builds that succeed, builds that must fail and keep the old knowledge
base, documents of other house styles end to end, the dev-gold ratchet."""
