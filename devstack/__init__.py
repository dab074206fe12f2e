"""The local stack: embedded PostgreSQL+pgvector, NATS JetStream, Redis and every service, on
loopback, with data, logs and PID files under one folder. `make up`/`make down` and the test run
use it; nothing here is used in production (there every service just reads DATABASE_URL etc.)."""
