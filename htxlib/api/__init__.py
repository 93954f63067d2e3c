"""The analyst's API, exported from ``htxlib``: ``data`` (``open_data``), the session's
``views`` (figures) and ``inventory`` (units, forms, problems, exhibits) over ``base``,
``cuts`` (pure functions over the indicator table), ``words`` (``vi``) and ``show`` (what
the objects show of themselves). Nothing is imported here: ``htxlib.session`` imports the
views, and ``data`` imports the session."""
