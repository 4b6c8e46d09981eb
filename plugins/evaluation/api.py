"""What other plugins may use of the evaluation plugin (its public API).

A plugin puts its figures on the 考核评价 dashboard and into the yearly scores by
registering hooks in its own ``wagtail_hooks.py``:

* ``register_evaluation_metrics`` returns ``[Metric(key, title, function, order)]``;
  ``function(scope)`` returns a ``Table`` (``units_of(scope)`` gives the scope's
  resident units, the rows of a per-unit table; ``months()`` the column labels of a
  per-month one);
* ``register_evaluation_sources`` returns ``[Source(key, label, function, scale,
  order, batch=...)]`` with ``scale`` one of ``PERCENT``, ``RATIO``, ``COUNT``.

Guard both with ``apps.is_installed("plugins.evaluation")`` and import this module
inside the hook: evaluation is optional for them, and a left-out plugin's modules
cannot be imported (its models have no app).
"""

from .metrics import Metric, Table, months, units_of
from .sources import COUNT, PERCENT, RATIO, Source

__all__ = ["COUNT", "PERCENT", "RATIO", "Metric", "Source", "Table", "months", "units_of"]
