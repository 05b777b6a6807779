import os

import pytest

CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright: never a downloaded browser."""
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} est absent : lancez `make install` (scripts/system-deps l'installe).")
    from playwright.sync_api import sync_playwright

    # Playwright runs an event loop in this thread; the ORM calls made by the tests
    # around it are synchronous and safe here.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="fr-FR")
    page = context.new_page()
    page.console_problems = []
    page.on(
        "console",
        lambda message: page.console_problems.append(message.text) if message.type in ("error", "warning") else None,
    )
    # What the server answered to htmx and what it refused, so that a swap that never comes
    # says whether the request was sent at all.
    page.exchanges = []
    page.on(
        "response",
        lambda response: (
            page.exchanges.append(f"{response.status} {response.request.method} {response.url}")
            if response.status >= 400 or response.request.headers.get("hx-request")
            else None
        ),
    )
    page.on("requestfailed", lambda request: page.exchanges.append(f"échec {request.url}: {request.failure}"))
    yield page
    context.close()


def log_in(page, username, password):
    page.goto("/connexion/")
    page.get_by_label("Nom d’utilisateur").fill(username)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Se connecter").click()
