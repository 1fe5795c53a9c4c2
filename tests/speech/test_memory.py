"""The allocator settings a transcribing worker applies (glibc only)."""

from __future__ import annotations

import ctypes
import platform

import pytest

from speech import memory

glibc = pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="glibc malloc only")


@glibc
def test_freed_heap_is_given_back():
    libc = ctypes.CDLL("libc.so.6")
    libc.malloc.restype = ctypes.c_void_p
    libc.free.argtypes = [ctypes.c_void_p]
    blocks = [libc.malloc(64 * 1024) for _ in range(400)]  # under the mmap threshold: heap
    for block in blocks:
        ctypes.memset(block, 1, 64 * 1024)
    for block in blocks:
        libc.free(block)
    assert memory.release_free_memory() is True


@glibc
def test_arena_cap_respects_the_environment(monkeypatch):
    monkeypatch.setenv("MALLOC_ARENA_MAX", "4")
    assert memory.limit_malloc_arenas() is False
    monkeypatch.delenv("MALLOC_ARENA_MAX")
    assert memory.limit_malloc_arenas(2) is True
