"""One module per benchmark: ``NAME``, ``DESCRIPTION``, ``ORDER`` and ``run(ctx) -> Result``.

Adding a benchmark is adding a module here; ``python -m bench`` discovers it.
"""
