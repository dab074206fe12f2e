"""kit.gc_freeze: what is alive at a service's start is frozen, what is garbage already is not kept."""

from __future__ import annotations

import gc
import weakref

from kit.gc_freeze import freeze_startup_heap, refreeze_heap


class _Node:
    def __init__(self) -> None:
        self.me = self  # a reference cycle: only the collector frees it


def test_live_objects_are_frozen_and_garbage_is_collected_first():
    kept = [_Node() for _ in range(100)]
    garbage = _Node()
    gone = weakref.ref(garbage)
    del garbage  # unreachable, but in a cycle: only a collection frees it
    try:
        frozen = freeze_startup_heap()
        assert gone() is None  # collected before the freeze, not frozen for good
        assert frozen == gc.get_freeze_count() >= len(kept)
        assert not any(kept[0] is o for o in gc.get_objects())  # frozen: out of the collector's sight
    finally:
        gc.unfreeze()
    assert gc.get_freeze_count() == 0


def test_a_refreeze_frees_what_a_replaced_object_left_in_a_cycle():
    old = _Node()
    gone = weakref.ref(old)
    try:
        freeze_startup_heap()  # the old model, frozen at start
        del old  # replaced: unreachable, in a cycle, frozen
        assert gone() is not None  # a collection alone would not see it
        gc.collect()
        assert gone() is not None
        refreeze_heap()
        assert gone() is None
    finally:
        gc.unfreeze()
