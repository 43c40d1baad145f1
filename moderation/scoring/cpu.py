"""What this CPU multiplies natively, read from /proc/cpuinfo (Linux) without importing a numeric framework."""

from __future__ import annotations

from functools import cache
from pathlib import Path


@cache
def cpu_flags() -> frozenset[str]:
    """The CPU's feature flags; empty where /proc/cpuinfo cannot be read."""
    try:
        text = Path("/proc/cpuinfo").read_text(encoding="ascii", errors="ignore")
    except OSError:
        return frozenset()
    line = next((line for line in text.splitlines() if line.startswith("flags")), "")
    return frozenset(line.partition(":")[2].split())


def native_bfloat16() -> bool:
    """Whether the CPU multiplies bfloat16 natively (AMX or AVX512-BF16), where bfloat16 beats float32."""
    return bool(cpu_flags() & {"amx_bf16", "avx512_bf16"})


def int8_vnni() -> bool:
    """Whether the CPU multiplies int8 with VNNI. Without it ONNX Runtime's int8 kernels add pairs of products in
    16 bits, which can saturate; its documentation's advice there is weights quantised to 7 bits (reduce_range)."""
    return bool(cpu_flags() & {"avx512_vnni", "avx_vnni", "amx_int8"})


def single_threaded_blas() -> None:
    """Run numpy's and scipy's BLAS on the calling thread, for the rest of the process. The scorer's own
    parallelism is its threads and the server's processes; OpenBLAS's default pool (a thread per core) spins
    after every small product of the clause heads and the n-gram member, which on two cores doubled the CPU a
    comment costs (134 -> 69 ms a rescore, docs/benchmarks.md) without making any comment faster."""
    from threadpoolctl import threadpool_limits

    threadpool_limits(limits=1, user_api="blas")
