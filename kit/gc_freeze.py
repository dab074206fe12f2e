"""What a long-running service built at start, moved out of the garbage collector's sight (gc.freeze).

CPython's full collection (generation 2) walks every tracked object, and a service holds hundreds of
thousands of them from its start on: the GraphQL schema, protobuf descriptors, settings, clients, caches.
None of it becomes garbage, yet each full collection walked it again: in the gateway serving cached answers
at about 2,100/s, 17 full collections in 10 s took 80-100 ms each, all in the one event loop, and made the
slowest tenth of the answers (p90 47 ms against a p50 of 7; docs/performance.md).

`freeze_startup_heap()` collects what is garbage already (so that nothing unreachable is kept for good),
then freezes the rest: a frozen object is never examined by the collector again and is still freed by
reference counting when its last reference goes. Call it once the service has started."""

from __future__ import annotations

import gc


def freeze_startup_heap() -> int:
    """Collect, then freeze every object alive now; returns how many objects are frozen."""
    gc.collect()
    gc.freeze()
    return gc.get_freeze_count()
