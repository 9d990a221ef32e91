"""This PC's sync bookkeeping: the PCs it has met, the packages it made or applied, and the
open conflicts. None of it travels; conflicts are recomputed from the change log alike on
every PC."""

from __future__ import annotations

from peewee import BooleanField, CharField, IntegerField, TextField

from civdesk.core.models import LocalModel


class SyncPeer(LocalModel):
    """Another PC: who it is, its signing key, and where each side stands with the other.

    ``acked_*``: how much of *our* log that PC confirmed having (its last package told us);
    ``their_epoch``/``covered_seq``: how much of *its* log we hold without gaps, which we
    acknowledge in our next package to it; ``own_max``: the newest entry of its own making it
    still holds (lower after it restored a backup, so we send its forgotten entries back).
    """

    node_id = CharField(primary_key=True)
    node_name = CharField()
    office_id = CharField()
    office_name = CharField()
    office_kind = CharField()
    township_id = CharField()
    public_key = CharField()
    fingerprint = CharField()
    trusted = BooleanField(default=False)
    trusted_at = CharField(null=True)
    trusted_by = CharField(null=True)
    first_seen = CharField()
    last_received = CharField(null=True)
    last_package_clock = CharField(null=True)
    acked_epoch = CharField(null=True)
    acked_seq = IntegerField(default=0)
    own_max = CharField(null=True)
    their_epoch = CharField(null=True)
    covered_seq = IntegerField(default=0)
    last_sent = CharField(null=True)

    class Meta:
        table_name = "sync_peer"


class SyncPackage(LocalModel):
    """A package this PC exported (direction "out") or applied ("in")."""

    package_id = CharField(primary_key=True)
    direction = CharField()
    peer_node_id = CharField(null=True)
    peer_name = CharField(default="")
    created_at = CharField()
    done_at = CharField(index=True)
    username = CharField()
    file_name = CharField(default="")
    entries = IntegerField(default=0)
    summary = TextField(default="{}")

    class Meta:
        table_name = "sync_package"
