"""Pure decisions of the webhooks service: signatures, event ids and envelopes, retries,
when to give up on an endpoint. No I/O here."""
