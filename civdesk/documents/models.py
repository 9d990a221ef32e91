"""Issuing bodies and the 发文字号 register (schema steps 13 and 14)."""

from __future__ import annotations

from peewee import BooleanField, CharField, IntegerField

from civdesk.core.models import SyncModel


class IssuingBody(SyncModel):
    key = CharField(index=True)          # committee / government / office, or a key of the office's own
    full_name = CharField()              # 发文机关全称, printed in the red head and the signature
    short_name = CharField(default="")   # 规范化简称
    code = CharField(default="")         # 机关代字 of the 发文字号, e.g. 清溪文明委
    red_head = BooleanField(default=True)
    documents = CharField(default="")    # the document kinds it issues, comma-separated
    head_text = CharField(default="")    # 发文机关标志 when not 「全称 + 文件」 (e.g. 「清溪镇文件」)
    signer = CharField(default="")       # 签发人 of its upward documents (请示、报告)
    cc = CharField(default="")           # 版记: default 抄送机关
    printer = CharField(default="")      # 版记: 印发机关 (empty: the 文明办)

    label = "发文机关"
    field_labels = {"key": "标识", "full_name": "全称", "short_name": "简称", "code": "机关代字",
                    "red_head": "红头", "documents": "发文种类", "head_text": "发文机关标志", "signer": "签发人",
                    "cc": "抄送机关", "printer": "印发机关"}

    def record_label(self) -> str:
        return self.full_name

    class Meta:
        table_name = "issuing_body"


class DocumentNumber(SyncModel):
    body_key = CharField()
    year = IntegerField()
    serial = IntegerField()
    number = CharField(index=True)       # 机关代字〔年份〕序号号
    kind = CharField(default="")
    title = CharField(default="")
    ref = CharField(default="")          # what it numbers (a decision's session id, a notice id)

    label = "发文字号"
    field_labels = {"body_key": "发文机关", "year": "年份", "serial": "序号", "number": "发文字号",
                    "kind": "文种", "title": "标题", "ref": "对应记录"}
    append_only = False

    def record_label(self) -> str:
        return f"{self.number} {self.title}".strip()

    class Meta:
        table_name = "document_number"
