"""`python -m kevlar.bench`: every benchmark, one table each."""

from kevlar.bench import storage, syscall_cost

syscall_cost.main()
print()
storage.main([])
