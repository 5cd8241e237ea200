"""Use cases of kk: one function per user intention, shared by the CLI and the TUI."""
