"""Ordered schema upgrade steps, frozen as SQL, one module per step (``stepN_topic.py``).

Each step is written as it was when it shipped and never edited afterwards; the models describe
only the newest schema. ``db.open_database`` runs the missing steps, each in its own transaction
together with the new ``PRAGMA user_version``. A new step is a new module, appended to ``STEPS``.
"""

from __future__ import annotations

import sqlite3

from civdesk.core.schema.step1_foundation import STEP_1
from civdesk.core.schema.step2_accounts import STEP_2
from civdesk.core.schema.step3_volunteers import STEP_3
from civdesk.core.schema.step4_sync import STEP_4
from civdesk.core.schema.step5_notices import STEP_5
from civdesk.core.schema.step6_units import STEP_6
from civdesk.core.schema.step7_nominations import STEP_7
from civdesk.core.schema.step8_calendar import STEP_8
from civdesk.core.schema.step9_supervision import STEP_9
from civdesk.core.schema.step10_hotline import STEP_10
from civdesk.core.schema.step11_activities import STEP_11
from civdesk.core.schema.step12_loose_ends import STEP_12
from civdesk.core.schema.step13_documents import STEP_13
from civdesk.core.schema.step14_supervision_pairs import STEP_14
from civdesk.core.schema.step15_finding_placement import STEP_15
from civdesk.core.schema.step16_issuing_details import STEP_16
from civdesk.core.schema.step17_merges import STEP_17
from civdesk.core.schema.step18_import_fields import STEP_18
from civdesk.core.schema.step19_pending_index import STEP_19
from civdesk.core.schema.step20_list_indexes import STEP_20

STEPS: list[str] = [STEP_1, STEP_2, STEP_3, STEP_4, STEP_5, STEP_6, STEP_7, STEP_8, STEP_9, STEP_10, STEP_11, STEP_12, STEP_13, STEP_14, STEP_15, STEP_16,
                    STEP_17, STEP_18, STEP_19, STEP_20]
SCHEMA_VERSION = len(STEPS)

__all__ = ["SCHEMA_VERSION", "STEPS", "STEP_1", "STEP_2", "STEP_3", "STEP_4", "STEP_5", "STEP_6", "STEP_7", "STEP_8", "STEP_9", "STEP_10", "STEP_11", "STEP_12", "STEP_13", "STEP_14", "STEP_15", "STEP_16",
           "STEP_17", "STEP_18", "STEP_19", "STEP_20", "statements"]


def statements(script: str) -> list[str]:
    """The script's statements; a trigger's body (BEGIN … END) stays whole with its semicolons."""
    found, current = [], ""
    for piece in script.split(";"):
        current += piece + ";"
        if sqlite3.complete_statement(current):
            if current.strip(" \n;"):
                found.append(current.strip().removesuffix(";").strip())
            current = ""
    if current.strip(" \n;"):
        found.append(current.strip().removesuffix(";").strip())
    return found
