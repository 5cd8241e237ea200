"""Readers and writers of kk's bulk formats (CSV, JSON Lines, JSON, vCard); no database here."""
