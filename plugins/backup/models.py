"""The backup plugin keeps no tables of its own: an archive is a file, not a record.

A record of past backups in the database would be restored together with the
database it describes, so it could never tell the truth about itself.
"""
