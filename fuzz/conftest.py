"""Hypothesis settings for the fuzz families (see fuzz/README.md).

Without FUZZ_SECONDS (the tox envs, `make test`): a short derandomized run with a fixed
number of examples per family (FUZZ_EXAMPLES, default 5) and no example database, so
the result depends only on the tree. With FUZZ_SECONDS (`make fuzz`): a campaign; each
family test keeps drawing examples until its share of the time is spent, with the
example database FUZZ_DB (a directory, default fuzz/.db, or redis://host:port/db for
machines sharing one), so failures found anywhere replay first everywhere.
"""

import os
import sys
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis.database import DirectoryBasedExampleDatabase

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def example_database():
    where = os.environ.get("FUZZ_DB") or str(ROOT / "fuzz" / ".db")
    if where.startswith("redis://"):
        import redis  # pip install redis; hypothesis's RedisExampleDatabase needs it
        from hypothesis.extra.redis import RedisExampleDatabase
        return RedisExampleDatabase(redis.Redis.from_url(where), key_prefix=b"kevlar-fuzz:")
    return DirectoryBasedExampleDatabase(where)


COMMON = dict(deadline=None, print_blob=True,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                     HealthCheck.filter_too_much])
settings.register_profile("ci", derandomize=True, database=None,
                          max_examples=int(os.environ.get("FUZZ_EXAMPLES") or 5), **COMMON)
if os.environ.get("FUZZ_SECONDS"):
    settings.register_profile("campaign", database=example_database(), max_examples=40,
                              **COMMON)
    settings.load_profile("campaign")
else:
    settings.load_profile("ci")
