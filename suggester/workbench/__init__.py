"""The coder review workbench (issue 16): a worklist of coded reports, a review page with the
evidence highlighted, accept / override / reject with an audit trail in SQLite, an export of
the final codes, and corrections that become training data for the confidence model.

* ``store.py``: the SQLite store (schema migrations, WAL) of reports, suggestions and decisions.
* ``validation.py``: checks a decision, and an override against the code table and payer rules.
* ``routes.py``: the ``/v1/worklist``, ``/v1/export``, ``/v1/stats`` API and the ``/review`` page,
  included by the service when it runs with ``--db``.
* ``corrections.py``: accepted and overridden reports as labelled records for ``suggester train``.
"""

from .store import DEFAULT_DB, ReviewStore, StoreError

__all__ = ["DEFAULT_DB", "ReviewStore", "StoreError"]
