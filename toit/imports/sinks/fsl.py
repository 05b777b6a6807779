"""Decisions of the FSL into files (toit.eviction.followup.record_fsl_decision). The file is
named by reference or found by the exact identity of the person; the FSL importing the
file is the deciding FSL and must already take part in the file (the domain says so)."""

from toit.eviction.followup import record_fsl_decision
from toit.eviction.models import FslDecision
from toit.imports import packing
from toit.imports.sinks.base import FILE_ACCESS_EXPECTED, Applied, Sink
from toit.imports.sinks.events import IDENTITY_FIELDS, stage_identity
from toit.imports.sinks.identity import resolve_file


class FslSink(Sink):
    code = "fsl"
    model = FslDecision
    label = "décisions du FSL"
    denied_expected = FILE_ACCESS_EXPECTED
    feeds = "toit.eviction.followup.record_fsl_decision sur le dossier désigné (jamais d'ouverture de dossier)"
    fields = {
        "decision_number": "clé d'import seulement (jamais enregistrée)",
        "file_reference": "le dossier (PreventionFile.reference)",
        "last_name": "le dossier (identité exacte)",
        "first_name": "le dossier (identité exacte)",
        "birth_name": "le dossier (identité exacte)",
        "birth_date": "le dossier (identité exacte)",
        "purpose": "FslDecision.purpose",
        "result": "FslDecision.result",
        "aid_form": "FslDecision.aid_form",
        "amount": "FslDecision.amount",
        "decided_on": "FslDecision.decided_on",
        "under_guarantee": "FslDecision.under_guarantee",
    }
    required_fields = frozenset({"purpose", "result", "decided_on"})
    staged = (
        ("file_reference", packing.TEXT),
        *IDENTITY_FIELDS,
        ("purpose", packing.TEXT),
        ("result", packing.TEXT),
        ("aid_form", packing.TEXT),
        ("amount", packing.DECIMAL),
        ("decided_on", packing.DATE),
        ("under_guarantee", packing.BOOLEAN),
    )
    dry_run = True
    error_fields = {
        name: name for name in ("purpose", "result", "aid_form", "amount", "decided_on", "under_guarantee")
    } | {"fsl_organisation": "", "file": "file_reference"}

    def stage(self, values, source, ctx):
        return {
            **stage_identity(values),
            "purpose": values["purpose"],
            "result": values["result"],
            "aid_form": values.get("aid_form") or "",
            "amount": values.get("amount"),
            "decided_on": values["decided_on"],
            # No column, or an empty cell: not said, never « non » (the file does not say).
            "under_guarantee": values.get("under_guarantee"),
        }

    def apply(self, row, source, ctx):
        file, _ = resolve_file(row, ctx.user, ctx.organisation, may_open=False)
        decision = record_fsl_decision(
            file,
            ctx.user,
            ctx.organisation,
            fsl_organisation=ctx.organisation,
            purpose=row["purpose"],
            result=row["result"],
            decided_on=row["decided_on"],
            under_guarantee=row["under_guarantee"],
            aid_form=row["aid_form"],
            amount=row["amount"],
            today=ctx.today,
        )
        return Applied(decision.pk, matched=True)
