import sys

from civdesk.cli.main import main

sys.exit(main())
