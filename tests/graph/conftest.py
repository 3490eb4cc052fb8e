"""Tests of stage 2, the graph: each SHACL shape with a passing and a failing case, and the shapes against
the meta-shapes."""
