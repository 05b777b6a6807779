"""axe-core, from the npm package installed with the project (node_modules, never a CDN),
run in the page: the serious and critical violations of the page as it is shown."""

from pathlib import Path

from django.conf import settings

AXE = Path(settings.NODE_MODULES) / "axe-core" / "axe.min.js"
BLOCKING = {"serious", "critical"}


def serious_violations(page):
    """[(rule id, impact, first target)] for every serious or critical violation. The script
    is evaluated through the browser's debugging protocol, which the page's CSP does not
    govern: the page itself is served unchanged."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text(encoding="utf-8"))
    results = page.evaluate(
        "async () => await axe.run(document, {resultTypes: ['violations'], runOnly: "
        "{type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"
    )
    return [
        (v["id"], v["impact"], v["nodes"][0]["target"] if v["nodes"] else None, v["help"])
        for v in results["violations"]
        if v["impact"] in BLOCKING
    ]


class AxeAudit:
    """Collects the violations of every page a test visits."""

    def __init__(self, page):
        self.page, self.found = page, {}

    def check(self, name):
        self.page.wait_for_load_state("networkidle")
        violations = serious_violations(self.page)
        if violations:
            self.found[name] = violations
