"""Stage 3: the report tree, built from the indicator table and the narrative file.

``params`` (check the parameters) → ``facts`` (read the indicator table) → ``narrative``
and ``targets`` (sentences), ``tables`` and ``figures`` (exhibits as data), ``writeup``
(the narrative file, parsed) → ``assemble`` (the outline, assembled into a ``tree``).
"""
