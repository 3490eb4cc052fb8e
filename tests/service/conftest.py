"""Tests of stage 5, the service over real HTTP and in a real browser. Servers are started by ``tests.service.helpers``
on free loopback ports."""
