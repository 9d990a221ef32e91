import sys

from civdesk.cli import main

sys.exit(main())
