"""Entry script of the console executable in the bundle: the same commands as ``python -m civdesk``.

PyInstaller builds ``civdesk`` (``civdesk-cli.exe`` on Windows, where a name may not differ from
``CivDesk.exe`` by case only) from this file; see packaging/civdesk.spec.
"""

import sys

from civdesk.cli.main import main

if __name__ == "__main__":
    sys.exit(main())
