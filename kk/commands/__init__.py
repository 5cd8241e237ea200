"""The shell face: one Typer app per noun, loaded lazily by kk.cli."""
