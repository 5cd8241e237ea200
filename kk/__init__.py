"""kk: customer management for German small businesses, in the terminal.

The package root stays import-free on purpose: `kk --help` must start fast, so nothing
heavy is imported here.
"""

__version__ = "0.1.0"
