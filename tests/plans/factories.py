from tests.plans.sample import SAMPLE_PLAN
from toit.plans.loader import load, parse


def load_sample_plan():
    """The sample plan of tests/plans/sample.py, loaded: plan code "pdalpd-test"."""
    return load(parse(SAMPLE_PLAN)).plan
