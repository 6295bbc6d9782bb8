"""`python -m kevlar.bench`: every benchmark, one table each."""

from kevlar.bench import syscall_cost

syscall_cost.main()
