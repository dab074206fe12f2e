"""What every service shares: settings from env, logging, the DB pool, NATS, gRPC serving, errors, outbox."""
