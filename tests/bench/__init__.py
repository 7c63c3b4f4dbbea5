"""Benchmarks at county scale (`make bench`); not part of `make test`."""
