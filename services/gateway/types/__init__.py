"""GraphQL types, one per module. The schema is assembled in services/gateway/schema.py."""
