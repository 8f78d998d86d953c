"""Background jobs ("Procesos"): one Proceso row per run, a generic chunked runner on Celery, and the
catalogue of job types.

Invariants:
- At most one run per job type is pendiente or en curso: `proceso_iniciar` checks under a PostgreSQL
  advisory lock (candado.py) and a partial unique index on issscobros_proceso backs it in the DB.
- Each item of a run is done exactly once: its ProcesoItem row is inserted (claimed) in the same
  transaction as the item's work, so a redelivered chunk (worker killed, acks_late) or a retry skips
  it, and a duplicate running at the same time waits on the unique index and then skips it.
- A run is over when every chunk of its current attempt has a ProcesoTrozo row; the chunk that
  writes the last one finishes the run (under a row lock on the Proceso), so finishing happens once.
- A retry (failed or stalled run) is a new attempt over the same items: done items are skipped, so
  it resumes where the run stopped."""
