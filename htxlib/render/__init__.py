"""Stage 4: renderers. Each reads only the report tree (``htxlib.report.tree``):
``html`` (fragments for the notebook, the page nbconvert makes), ``docx`` (the plan to
edit and sign), ``xlsx`` (the annex of tables sent upward)."""
