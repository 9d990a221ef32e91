import os
import sys
from pathlib import Path

# Without a display Qt aborts the whole run; offscreen works everywhere.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
