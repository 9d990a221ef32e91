"""How long one passphrase guess costs against a sync package: the fixed-salt passphrase key
(step 1, all that a guess cost before per-office salts) and the office key (step 2).

    PYTHONPATH=. python benchmarks/sync_key.py [ROUNDS]

Reports the best of ROUNDS (default 5) for each step: the best is the machine's cost, the rest is
other programs taking the CPU.
"""

from __future__ import annotations

import os
import sys
import time

from civdesk.office import setup


def best(call, rounds: int) -> float:
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        call()
        times.append(time.perf_counter() - started)
    return min(times) * 1000


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    salt = os.urandom(16)
    base = setup.derive_sync_key("guess-number-1")
    first = best(lambda: setup.derive_sync_key("guess-number-1"), rounds)
    second = best(lambda: setup.derive_office_key(base, salt), rounds)
    kdf = setup.OFFICE_KDF
    print(f"step 1 scrypt(N=2^15,r=8,p=1, fixed salt): {first:.0f} ms")
    print(f"step 2 scrypt(N=2^{kdf['n'].bit_length() - 1},r={kdf['r']},p={kdf['p']}, office salt): {second:.0f} ms")
    print(f"one guess against a package: {first + second:.0f} ms (was {first:.0f} ms)")


if __name__ == "__main__":
    main()
