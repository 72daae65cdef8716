"""Where records live: database, content-addressed files, audit log, job queue."""
