"""Speed and memory measurements for Homeward (``make bench``).

``python -m bench.run`` runs :mod:`bench.worker` once per database in a child
process (each child sets Django up against a fresh, throwaway database),
collects the results and writes ``BENCHMARKS.md`` at the repository root. The
exit status is non-zero when a target is missed.

Only timings, sizes and counts are reported; no identifying data is printed.
"""
