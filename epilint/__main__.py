from epilint.cli import main

raise SystemExit(main())
