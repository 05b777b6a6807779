from pathlib import Path

from django.core.management import call_command
from django.db.models import F

from toit.linkage.enums import LinkStatus
from toit.linkage.models import LinkRun, RecordLink
from toit.linkage.results import run_result
from toit.organisations.models import Membership
from toit.plans.loader import load_file
from toit.priority_access.enums import DaloDecision, DaloEndReason
from toit.priority_access.models import DaloAppeal, HousingDemand, MousCoverage, MousFollowup
from toit.territory.cog import load_file as load_territory_file

ROOT = Path(__file__).resolve().parents[2]


def test_demo_builds_partners_files_with_shared_people_and_a_run(capsys):
    import datetime

    load_territory_file(ROOT / "data" / "territory" / "cog-72.json")
    load_file(ROOT / "plans" / "pdalpd-sarthe-2008-2012.yaml")
    call_command("toit_demo", "--scale", "0.05")
    out = capsys.readouterr().out
    assert "Rapprochement des fichiers" in out
    # The counts are told in French, never with the builder's internal keys.
    counts = next(line for line in out.splitlines() if "accès prioritaire créées" in line)
    assert "recours DALO" in counts and "baux glissants" in counts
    assert not {"demand", "dalo", "lease", "mous"} & set(counts.replace(",", " ").split())
    assert HousingDemand.objects.filter(is_synthetic=True).exists()
    assert not HousingDemand.objects.filter(is_synthetic=False).exists()
    # Appeals rise over the plan.
    assert (
        DaloAppeal.objects.filter(filed_on__year=2012).count() > DaloAppeal.objects.filter(filed_on__year=2008).count()
    )
    # Some priority households leave without a rehousing through the appeal, fewer than are
    # rehoused; some MOUS mediations stop without one, fewer than run.
    priority = DaloAppeal.objects.priority()
    ended = priority.filter(ended_on__isnull=False)
    assert 0 < ended.count() < priority.filter(rehoused_on__isnull=False).count()
    assert not DaloAppeal.objects.filter(ended_on__isnull=False).exclude(decision=DaloDecision.PRIORITY).exists()
    assert not ended.filter(rehoused_on__isnull=False).exists()
    # A refused offer was made first.
    refused = ended.filter(end_reason=DaloEndReason.REFUSED_OFFER)
    assert refused.count() == refused.filter(housing_offered_on__lt=F("ended_on")).count()
    mous_ended = MousFollowup.objects.filter(ended_on__isnull=False)
    assert 0 < mous_ended.count() < MousFollowup.objects.count()
    # The MOUS reaches Le Mans Métropole on a date.
    assert MousCoverage.objects.filter(since=datetime.date(2010, 7, 1)).exists()
    run = LinkRun.objects.get()
    assert RecordLink.objects.filter(run=run, status=LinkStatus.ACCEPTED).count() > 20
    # The DDE's responsable sees demand and DALO: named households; counts for everyone.
    manager = Membership.objects.get(user__username="responsable.dde").user
    result = run_result(run, manager, datetime.date(2012, 12, 31))
    assert result.in_several_files > 20
    assert result.named
    call_command("toit_demo", "--scale", "0.05")
    assert "existent déjà" in capsys.readouterr().out
    assert LinkRun.objects.count() == 1
