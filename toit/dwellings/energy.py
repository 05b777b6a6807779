"""Energy gain of a renovated dwelling (sheet 2C): between its last DPE before works and its
first DPE after, only when both were made under one method (rules.dpe_method): a DPE of
before 1 July 2021 does not compare with one made since."""

from dataclasses import dataclass

CLASSES = "ABCDEFG"


@dataclass(frozen=True)
class Gain:
    before: object
    after: object

    @property
    def comparable(self):
        return self.before.method == self.after.method

    @property
    def kwh(self):
        """kWh/m²/an saved, or None when the two DPE are not comparable."""
        return self.before.kwh_per_m2_year - self.after.kwh_per_m2_year if self.comparable else None

    @property
    def classes(self):
        """Classes gained (E → C is 2), or None when not comparable."""
        if not self.comparable:
            return None
        return CLASSES.index(self.before.energy_class) - CLASSES.index(self.after.energy_class)


def gain(diagnoses):
    """The Gain of a dwelling from its DPE (any order), or None without a before and an after."""
    from toit.dwellings.enums import DpeStage

    befores = sorted((d for d in diagnoses if d.stage == DpeStage.BEFORE), key=lambda d: (d.made_on, d.pk or 0))
    afters = sorted((d for d in diagnoses if d.stage == DpeStage.AFTER), key=lambda d: (d.made_on, d.pk or 0))
    if not befores or not afters:
        return None
    return Gain(befores[-1], afters[0])
