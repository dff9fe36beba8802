"""``python -m peelcalc``: the same as the ``peelcalc`` command."""

from peelcalc.launch import main

main()
