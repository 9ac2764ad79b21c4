"""The ``earshot`` command: one module per command group, on top of everything else."""
