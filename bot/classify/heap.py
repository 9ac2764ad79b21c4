"""Give a model build's freed buffers back to the system (glibc's malloc).

A workspace model's build allocates large short-lived buffers: the LR layer's training
matrix and liblinear's copy of it, several MB each. glibc serves a block this large with
its own mapping, returned to the system when freed, but after the first such free it
raises that size bar (the "dynamic mmap threshold") to the freed block's size, so every
later build's buffers come from the heap instead, where freed memory mostly stays
resident. With 50 workspaces built one after another that was about 15 MB of the bot's
resident memory, holding nothing (``python bench/classify_throughput.py --only memory``;
docs/classifier.md). Fixing the bar at glibc's own default keeps such buffers mapped.
"""

from __future__ import annotations

import ctypes
import sys

# mallopt's parameter number for the threshold (malloc.h), and glibc's default value.
M_MMAP_THRESHOLD = -3
MMAP_THRESHOLD = 128 * 1024


def fix_mmap_threshold() -> bool:
    """Fix the threshold, stopping glibc from raising it; False where there is no mallopt
    (not glibc: nothing to do)."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        mallopt = ctypes.CDLL(None).mallopt  # the process's own C library
    except (OSError, AttributeError):
        return False
    return bool(mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD))
