"""Dated legal bases of the fight against substandard housing (sheet 2B), written out with
their sources in docs/habitat-indigne-rules.md; the tests read that page against this module.

Before the ordonnance n° 2020-1144 of 16 September 2020, in force on 1 January 2021,
insalubrity was a police of the préfet under the code de la santé publique (CSP
art. L. 1331-26 ff.) and « péril » a police of the maire under the code de la construction et
de l'habitation (CCH former art. L. 511-1 ff.). Since, one police of safety and salubrity of
dwellings (CCH art. L. 511-1 ff.): arrêté de mise en sécurité or de traitement de
l'insalubrité (L. 511-11), urgency procedure (L. 511-19). The ordonnance applies to arrêtés
notified from 1 January 2021: an act is taken under the code in force on its date, and a
mainlevée follows the act it lifts.
"""

import datetime

from django.core.exceptions import ValidationError

from toit.dwellings.enums import ActKind, DpeMethod, Regime

ORDONNANCE_2020_1144 = datetime.date(2021, 1, 1)
DPE_REFORM = datetime.date(2021, 7, 1)

# Act kind → the regime it belongs to, and its legal basis as a reader cites it.
ACT_REGIME = {
    ActKind.RSD_NOTICE: Regime.ANY,
    ActKind.NON_DECENCY_NOTICE: Regime.ANY,
    ActKind.LEAD_WORKS: Regime.ANY,
    ActKind.UNFIT_REMEDIABLE: Regime.BEFORE_2021,
    ActKind.UNFIT_IRREMEDIABLE: Regime.BEFORE_2021,
    ActKind.UNFIT_URGENT: Regime.BEFORE_2021,
    ActKind.DANGER_ORDINARY: Regime.BEFORE_2021,
    ActKind.DANGER_IMMINENT: Regime.BEFORE_2021,
    ActKind.SAFETY: Regime.FROM_2021,
    ActKind.SAFETY_URGENT: Regime.FROM_2021,
    ActKind.LIFTING: None,  # the regime of the act it lifts
}

LEGAL_BASIS = {
    ActKind.RSD_NOTICE: "CSP art. L. 1311-1 et L. 1311-2 ; règlement sanitaire départemental de la Sarthe",
    ActKind.NON_DECENCY_NOTICE: "Loi n° 89-462 du 6 juillet 1989, art. 6 ; décret n° 2002-120 du 30 janvier 2002",
    ActKind.LEAD_WORKS: "CSP art. L. 1334-1 et L. 1334-2",
    ActKind.UNFIT_REMEDIABLE: "CSP art. L. 1331-26 et L. 1331-28 II (rédaction antérieure au 1er janvier 2021)",
    ActKind.UNFIT_IRREMEDIABLE: "CSP art. L. 1331-26 et L. 1331-28 I (rédaction antérieure au 1er janvier 2021)",
    ActKind.UNFIT_URGENT: "CSP art. L. 1311-4 et L. 1331-26-1 (rédaction antérieure au 1er janvier 2021)",
    ActKind.DANGER_ORDINARY: "CCH art. L. 511-1 et L. 511-2 (rédaction antérieure au 1er janvier 2021)",
    ActKind.DANGER_IMMINENT: "CCH art. L. 511-3 (rédaction antérieure au 1er janvier 2021)",
    ActKind.SAFETY: "CCH art. L. 511-1 s. et L. 511-11 (ordonnance n° 2020-1144 du 16 septembre 2020)",
    ActKind.SAFETY_URGENT: "CCH art. L. 511-19 (ordonnance n° 2020-1144 du 16 septembre 2020)",
}


def regime_on(date):
    """The regime of the reformed polices in force on `date`."""
    return Regime.BEFORE_2021 if date < ORDONNANCE_2020_1144 else Regime.FROM_2021


def act_regime(kind, signed_on, lifted=None):
    """The regime an act is taken under: its kind's, a mainlevée's is the lifted act's."""
    kind = ActKind(kind)
    if kind == ActKind.LIFTING:
        if lifted is None:
            raise ValidationError({"lifts": "Une mainlevée désigne l'arrêté qu'elle lève : choisissez-le."})
        return act_regime(lifted.kind, lifted.signed_on, lifted.lifts)
    return ACT_REGIME[kind]


def check_act(kind, signed_on, lifted=None):
    """Refuse an act under a code not in force on its date, in French, saying which to use."""
    kind = ActKind(kind)
    if kind == ActKind.LIFTING:
        act_regime(kind, signed_on, lifted)
        if lifted.signed_on > signed_on:
            raise ValidationError({"signed_on": "La mainlevée ne peut précéder l'arrêté qu'elle lève."})
        return
    regime = ACT_REGIME[kind]
    if regime == Regime.ANY:
        return
    in_force = regime_on(signed_on)
    if regime != in_force:
        date = signed_on.strftime("%d/%m/%Y")
        if in_force == Regime.FROM_2021:
            hint = (
                "depuis le 1er janvier 2021 (ordonnance n° 2020-1144), prenez un arrêté de mise en sécurité "
                "(CCH L. 511-11) ou de mise en sécurité d'urgence (CCH L. 511-19)"
            )
        else:
            hint = (
                "avant le 1er janvier 2021, l'insalubrité relève du CSP (L. 1331-26 s.) et le péril du CCH "
                "(ancien L. 511-1 s.)"
            )
        raise ValidationError({"kind": f"« {kind.label} » n'est pas applicable au {date} : {hint}."})


def legal_basis(kind, lifted=None):
    kind = ActKind(kind)
    if kind == ActKind.LIFTING and lifted is not None:
        return f"Mainlevée — {legal_basis(lifted.kind, lifted.lifts)}"
    return LEGAL_BASIS.get(kind, "")


def dpe_method(made_on):
    """The DPE method in force on `made_on`: the reformed method from 1 July 2021."""
    return DpeMethod.BEFORE_JULY_2021 if made_on < DPE_REFORM else DpeMethod.FROM_JULY_2021
