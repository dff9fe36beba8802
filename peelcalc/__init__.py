"""peelcalc: an explicit, indicative calculator for PEEL inspection judgments.

The grading core (:mod:`peelcalc.model`, :mod:`peelcalc.engine`) is pure: frozen
values in, frozen values out. Loading (:mod:`peelcalc.loading`), rendering
(:mod:`peelcalc.render`) and the command line (:mod:`peelcalc.cli`) sit around it.
"""

__version__ = "0.1.0"
