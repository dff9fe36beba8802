"""``python -m peelcalc``: the same as the ``peelcalc`` command."""

from peelcalc.cli import main

main()
