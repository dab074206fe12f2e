"""What a long-running service built at start, moved out of the garbage collector's sight (gc.freeze).

CPython's full collection (generation 2) walks every tracked object, and a service holds hundreds of
thousands of them from its start on: the GraphQL schema, protobuf descriptors, settings, clients, caches.
None of it becomes garbage, yet each full collection walked it again: in the gateway serving cached answers
at about 2,100/s, 17 full collections in 10 s took 80-100 ms each, all in the one event loop, and made the
slowest tenth of the answers (p90 47 ms against a p50 of 7; docs/performance.md).

`freeze_startup_heap()` collects what is garbage already (so that nothing unreachable is kept for good),
then freezes the rest: a frozen object is never examined by the collector again and is still freed by
reference counting when its last reference goes. Every gRPC service does it once it serves
(kit.grpc_server.ServiceHost.start), the gateway once its resources are open. The recommender also
measured 5 full collections of 88-163 ms in one load run (its films, vectors and model).

`refreeze_heap()` is for a service that has just replaced much of what it holds (the recommender swapping
in a model or a content index): the old one's objects, frozen, would never be freed if they sit in a
reference cycle, so it unfreezes, collects and freezes again, one full collection per swap."""

from __future__ import annotations

import gc


def freeze_startup_heap() -> int:
    """Collect, then freeze every object alive now; returns how many objects are frozen."""
    gc.collect()
    gc.freeze()
    return gc.get_freeze_count()


def refreeze_heap() -> int:
    """Unfreeze, then freeze_startup_heap(): what the replaced objects left in reference cycles is freed."""
    gc.unfreeze()
    return freeze_startup_heap()
