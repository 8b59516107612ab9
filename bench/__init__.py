"""Benchmarks (not tests): ``make bench`` / ``python -m bench [names...] [--quick]``.

Each benchmark starts the servers it needs (daphne processes on free loopback ports, the
``civic_bench`` PostgreSQL database, Redis db 12), drives them from a separate load-client
process (:mod:`bench.loadclient`), prints a table and writes JSON under ``bench/results/``.
See docs/performance.md.
"""
