"""`python -m kevlar.disk`: see kevlar.disk.build."""

from kevlar.disk.build import main

raise SystemExit(main())
