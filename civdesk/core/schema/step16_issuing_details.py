"""Schema step 16: what an issuing body prints besides its name — the 发文机关标志 text when it is not
「全称 + 文件」, the 签发人 of its upward documents, and the 版记 defaults (抄送机关, 印发机关)."""

from __future__ import annotations

STEP_16 = """
ALTER TABLE issuing_body ADD COLUMN head_text TEXT NOT NULL DEFAULT '';
ALTER TABLE issuing_body ADD COLUMN signer TEXT NOT NULL DEFAULT '';
ALTER TABLE issuing_body ADD COLUMN cc TEXT NOT NULL DEFAULT '';
ALTER TABLE issuing_body ADD COLUMN printer TEXT NOT NULL DEFAULT ''
"""
