"""`kk tui`: the full-screen Textual browser, the third face of kk.

Nothing here builds SQL: reads go through kk.services.queries/search/browse, writes through
the same services as the CLI. Textual is imported only by `kk tui` (kk.commands.tui).
"""
