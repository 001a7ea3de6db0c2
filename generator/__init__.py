"""modgen: training and e-learning modules from a course kept as YAML.

Layout: ``loader/`` reads YAML into the ``model``; ``checks`` finds problems across files;
``build`` runs the ``targets`` (one module per output format); ``cli`` is the command line.
"""

__version__ = "0.1.0"
