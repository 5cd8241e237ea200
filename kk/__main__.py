"""Entry point of the `kk` console script and of `python -m kk`."""

from __future__ import annotations


def main() -> None:
    from kk.cli import run

    run()


if __name__ == "__main__":
    main()
