"""Load test of Toit: a realistic mix of agents and the observatory, against two servers.

Run it with bench/load/run (one command: builds nothing, starts two gunicorn servers on two
ports against one PostgreSQL, runs locust headless against 127.0.0.1 only, stops them).

The mix, per agent (département or préfecture, half each), by weight: household search 4,
opening a file 3, the work queues 2, adding an event 1 (the form, then its POST); one user
in ten is the observatory, reading the dashboard. Think time 1 to 3 s between pages
(LOAD_THINK, default "1,3": 50 users then ask up to 25 pages a second; an agent reading a
file or typing a note takes longer). Virtual users alternate between the two servers (LOAD_HOSTS).

Two phases. Logins come first: each one hashes the password (PBKDF2, 1 500 000 iterations,
Django's default, about 0.5 s of one core here) on purpose, so that a stolen table resists.
Fifty of them at once would hold the two cores for half a minute, a queue that has nothing to
do with the pages, and a morning's logins are spread out. So the logins are measured on their
own (var/load/logins.json); when every user is logged in, the counters restart and the pages
are measured for LOAD_TIME seconds with all the users at work (the steady state), each user
starting at a random point of its think time.
"""

import itertools
import json
import os
import random
import re
from pathlib import Path

import gevent
from gevent.event import Event
from locust import HttpUser, between, events, task

RESULTS = Path(__file__).resolve().parents[2] / "var" / "load"
SAMPLE = json.loads((RESULTS / "sample.json").read_text())
HOSTS = os.environ.get("LOAD_HOSTS", "http://127.0.0.1:8101,http://127.0.0.1:8102").split(",")
PASSWORD = os.environ["LOAD_PASSWORD"]
THINK = tuple(float(s) for s in os.environ.get("LOAD_THINK", "1,3").split(","))
_counter = itertools.count()
LOGIN_PAGES = ("connexion (formulaire)", "connexion")
_all_logged_in = Event()
_logged_in = itertools.count(1)
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class ToitUser(HttpUser):
    abstract = True
    wait_time = between(*THINK)
    host = HOSTS[0]
    username = ""

    def on_start(self):
        self.base = HOSTS[next(_counter) % len(HOSTS)]
        self.rng = random.Random()
        try:
            self._log_in()
        finally:
            # Counted even when it failed (the failure is in the figures), so that the pages
            # are measured all the same.
            if next(_logged_in) == self.environment.runner.target_user_count:
                _start_measuring(self.environment)
        _all_logged_in.wait()
        # Released together, the users would all ask their first page in the same instant, a
        # burst a working office never sends: each starts at its own point of a think time.
        gevent.sleep(self.rng.uniform(0, THINK[1]))

    def _log_in(self):
        page = self.client.get(f"{self.base}/connexion/", name="connexion (formulaire)")
        token = CSRF.search(page.text).group(1)
        with self.client.post(
            f"{self.base}/connexion/",
            data={"username": self.username, "password": PASSWORD, "csrfmiddlewaretoken": token},
            headers={"Referer": f"{self.base}/connexion/"},
            name="connexion",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"connexion refusée ({response.status_code})")


def _start_measuring(environment):
    """The last login done: keep the login figures, restart the counters, stop in LOAD_TIME."""
    stats = environment.runner.stats
    logins = {}
    for name in LOGIN_PAGES:
        entry = stats.get(name, "POST" if name == "connexion" else "GET")
        logins[name] = {
            "requests": entry.num_requests,
            "failures": entry.num_failures,
            **{f"p{p}": entry.get_response_time_percentile(p / 100) for p in (50, 95, 99)},
        }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "logins.json").write_text(json.dumps(logins))
    stats.reset_all()
    _all_logged_in.set()
    gevent.spawn_later(float(os.environ.get("LOAD_TIME", 90)), environment.runner.quit)


@events.test_start.add_listener
def _forget_last_run(environment, **kwargs):
    (RESULTS / "logins.json").unlink(missing_ok=True)


class Agent(ToitUser):
    abstract = True
    weight = 9

    def on_start(self):
        super().on_start()
        self.data = SAMPLE["agents"][self.username]

    @task(4)
    def search(self):
        prefix = self.rng.choice(self.data["prefixes"])
        self.client.get(f"{self.base}/prevention/", params={"q": prefix}, name="recherche de ménage")

    @task(3)
    def open_file(self):
        reference = self.rng.choice(self.data["references"])
        self.client.get(f"{self.base}/prevention/dossiers/{reference}/", name="page dossier")

    @task(2)
    def queues(self):
        self.client.get(f"{self.base}/prevention/a-traiter/", name="files de travail")

    @task(1)
    def add_event(self):
        reference = self.rng.choice(self.data["references"])
        url = f"{self.base}/prevention/dossiers/{reference}/evenement/"
        form = self.client.get(url, name="événement (formulaire)")
        match = CSRF.search(form.text)
        if not match:
            return
        data = {
            "csrfmiddlewaretoken": match.group(1),
            "kind": "saisine_ccapex",
            "date": "2012-12-03",
            "organisation": self.data["organisation"],
            "note": "Test de charge (données synthétiques).",
        }
        with self.client.post(
            url,
            data=data,
            headers={"Referer": url},
            name="événement (ajout)",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            # 302: recorded; 200: the form again, the procedure's rules refused the date (a
            # normal answer, not an error).
            if response.status_code not in (200, 302):
                response.failure(f"statut {response.status_code}")


class DepartmentAgent(Agent):
    username = "load.agent"
    weight = 5


class PrefectureAgent(Agent):
    username = "load.prefecture"
    weight = 4


class Observatory(ToitUser):
    username = "load.observatoire"
    weight = 1

    @task
    def dashboard(self):
        self.client.get(f"{self.base}/observatoire/{SAMPLE['plan']}/", name="tableau de bord de l'observatoire")
