"""Stage 1 of the pipeline: read a workbook or CSV folder, clean it, check it.

``load`` → ``clean`` → ``validate`` (with ``areas`` for the hierarchy and the 2025
crosswalk, ``problems`` for the messages); ``registry`` ties them together.
"""
