"""`Idempotency-Key` on POSTs: one execution, replayed answers."""
