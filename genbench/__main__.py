"""`python -m genbench` (and `torchrun -m genbench run ...`) runs the CLI."""

from genbench.cli import main

if __name__ == "__main__":
    main()
