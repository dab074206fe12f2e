"""The gateway's gRPC clients of the backend services, one module a service, over `base.py`."""
