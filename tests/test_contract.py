"""The contract suite (tests/contract/) as pytest items: one per test, run two at a time.

The first contract item starts all selected ones on a thread pool (KEVLAR_CONTRACT_JOBS,
default the CPU count; each guest pinned to its own CPU); each item then waits for its
own result. PASS passes; a manifest XFAIL is reported as xfailed and, when it passes, as
XPASS (see `-rX`: remove its entry); DIVERGE and FAIL fail with the diff. The results of
a complete run are saved for `python -m tests.contract.runner --report`
(docs/conformance.md).
"""

import os
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.contract import runner  # noqa: E402

TIDS = runner.discover()


class _Suite:
    def __init__(self, tids: list[str], prefetch: bool):
        self.runner = runner.Runner()
        self.results: dict[str, runner.Result] = {}
        self.pool = ThreadPoolExecutor(max_workers=self.runner.jobs) if prefetch else None
        self.futures = {t: self.pool.submit(self.runner.run_one, t) for t in tids} if prefetch else {}

    def result(self, tid: str) -> runner.Result:
        fut = self.futures.get(tid)
        res = fut.result() if fut is not None else self.runner.run_one(tid)
        self.results[tid] = res
        return res

    def close(self):
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
        self.runner.fixtures.cleanup()


@pytest.fixture(scope="session")
def contract_suite(request):
    selected = [item.callspec.params["tid"] for item in request.session.items
                if getattr(item, "originalname", "") == "test_contract"
                and "tid" in getattr(getattr(item, "callspec", None), "params", {})]
    # Under pytest-xdist each worker runs only its share: no prefetch there.
    suite = _Suite(selected, prefetch="PYTEST_XDIST_WORKER" not in os.environ)
    yield suite
    suite.close()
    if len(suite.results) == len(TIDS):
        runner.save_results(suite.runner.env, [suite.results[t] for t in TIDS])


@pytest.mark.tracer
@pytest.mark.parametrize("tid", TIDS)
def test_contract(tid, contract_suite, request):
    res = contract_suite.result(tid)
    if res.cls in ("XFAIL", "XPASS"):
        request.node.add_marker(pytest.mark.xfail(
            reason=f"{res.xfail_reason} (issue {res.xfail_issue})", strict=False))
        assert res.cls == "XPASS", f"{res.extra.get('was', '')}: {res.detail}\n{res.diff}"
        return
    if res.cls == "SKIP":
        pytest.skip(res.detail)
    assert res.cls == "PASS", f"{res.cls}: {res.detail}\n{res.diff}"
