"""Promise: `make sources` tells an editor when a source changed after publishing (a dead or moved
link, a DOI that no longer resolves, a retraction or correction, a newer drug label), and never
mistakes an outage or a refusal for a dead source.

Every request goes to a real local HTTP server (SOURCE_WATCH_MAP points https:// at it), which
answers the way each service documents: the doi.org handle API (responseCode 1, or 100 with
HTTP 404), Crossref's works API (a work-list whose items carry "update-to"), DailyMed's SPL
history web service. Nothing leaves the machine.
"""

import datetime
import subprocess
import sys
import time
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Response

from scripts import source_watch

ROOT = Path(__file__).resolve().parent.parent
MAILTO = "editors@example.org"
REVIEWED = "2026-01-15"
FOUND = "10.1000/found"
KETALAR_SETID = "14e8f864-8b8a-4e7e-8439-e510d3107063"
HANDLES = "/doi.org/api/handles/"
WORKS = "/api.crossref.org/works"
HISTORY = f"/dailymed.nlm.nih.gov/dailymed/services/v2/spls/{KETALAR_SETID}/history.json"


@pytest.fixture(scope="module")
def server():
    # Threaded, so a deliberately slow answer does not hold up the others.
    server = HTTPServer(threaded=True)
    server.start()
    yield server
    server.clear()
    server.stop()


@pytest.fixture
def services(server, monkeypatch):
    server.clear()
    monkeypatch.setenv("SOURCE_WATCH_MAP", f"https://={server.url_for('/')}")
    monkeypatch.setenv("SOURCE_WATCH_MAILTO", MAILTO)
    monkeypatch.delenv("GITHUB_REPOSITORY", raising=False)
    monkeypatch.setattr(source_watch, "BACKOFF", 0.05)
    yield server
    server.check_handler_errors()


def site(tmp_path, references, reviewed=REVIEWED, doi_host="publisher.example"):
    """A content folder: references.md with `references` ({label: citation}), one article citing them all,
    and each DOI's host as it was read (`doi_host`, or none on record)."""
    content = tmp_path / "content"
    (content / "articles").mkdir(parents=True)
    (content / "pages").mkdir()
    (content / "references.md").write_text("".join(f"[^{label}]: {text}\n" for label, text in references.items()))
    hosts = "".join(f'doi_hosts.{label} = "{doi_host}"\n' for label in references) if doi_host else ""
    (content / "references-read.toml").write_text(hosts)
    cites = " ".join(f"A fact.[^{label}]" for label in references)
    (content / "articles" / "guide.md").write_text(f"Title: Guide\nReviewed: {reviewed}\n\n{cites}\n")
    return content


def watch(content, capsys, *options):
    """(status, printed lines, Markdown report) of one run."""
    report = content.parent / "report.md"
    status = source_watch.main(["--content", str(content), "--report", str(report), "--timeout", "2", *options])
    return status, capsys.readouterr().out.splitlines(), report.read_text() if report.exists() else ""


def paper(doi=FOUND):
    return f"Author A. A trial. *J Pain.* 2020;1:1-2. <https://doi.org/{doi}>"


# What the services answer, as their documentation shows it.

def handle_found(doi, url="https://publisher.example/article/1"):
    return {"responseCode": 1, "handle": doi, "values": [
        {"index": 1, "type": "URL", "data": {"format": "string", "value": url}, "ttl": 86400,
         "timestamp": "2020-09-25T16:02:07Z"}]}


def work_list(*items):
    return {"status": "ok", "message-type": "work-list", "message-version": "1.0.0",
            "message": {"facets": {}, "total-results": len(items), "items": list(items), "items-per-page": 20,
                        "query": {"start-index": 0, "search-terms": None}}}


def notice(notice_doi, kind, label, date, updates=FOUND, source="publisher"):
    """A Crossref work that is a notice about `updates`, as the works API lists it."""
    updated = {"date-parts": [list(date)]}
    if len(date) == 3:  # a full date also comes as date-time and timestamp (milliseconds)
        when = datetime.datetime(*date, tzinfo=datetime.UTC)
        updated |= {"date-time": when.strftime("%Y-%m-%dT%H:%M:%SZ"), "timestamp": int(when.timestamp() * 1000)}
    return {"DOI": notice_doi, "type": "journal-article", "title": [f"{label}: A trial"], "publisher": "Example",
            "update-to": [{"updated": updated, "DOI": updates, "type": kind, "source": source, "label": label}]}


def label_history(*versions):
    """DailyMed's /spls/{SETID}/history.json: [(spl_version, published_date)], newest first."""
    return {"metadata": {"db_published_date": "Nov 28, 2026 04:13:22PM EST", "elements_per_page": "100",
                         "current_url": f"https://dailymed.nlm.nih.gov/dailymed/services/v2/spls/{KETALAR_SETID}"
                                        "/history.json",
                         "next_page_url": "null", "total_elements": str(len(versions)), "total_pages": "1",
                         "current_page": "1", "previous_page": "null", "previous_page_url": "null",
                         "next_page": "null"},
            "data": {"spl": {"title": "KETALAR (KETAMINE HYDROCHLORIDE) INJECTION [PAR PHARMACEUTICAL, INC.]",
                             "setid": KETALAR_SETID},
                     "history": [{"spl_version": version, "published_date": date} for version, date in versions]}}


def doi_resolves(services, doi=FOUND, *notices):
    services.expect_request(HANDLES + doi, query_string="type=URL").respond_with_json(handle_found(doi))
    services.expect_request(WORKS, query_string={"filter": f"updates:{doi}", "mailto": MAILTO}).respond_with_json(
        work_list(*notices))


# DOIs.

def test_a_doi_that_resolves_with_no_notice_needs_nothing(services, tmp_path, capsys):
    doi_resolves(services)
    status, lines, report = watch(site(tmp_path, {"trial": paper()}), capsys)
    assert (status, lines) == (0, [f"sources: 1 checked: nothing needs an editor (report: {tmp_path}/report.md)"])
    # The etiquette: a User-Agent with a contact, and Crossref's polite pool.
    for request, _ in services.log:
        assert request.headers["User-Agent"].startswith("ketamine-pain-guide-source-watch/")
        assert f"mailto:{MAILTO}" in request.headers["User-Agent"]


@pytest.mark.parametrize("on_record, said", [
    ("publisher.example", "now leads to https://clinic.example/ketamine, not publisher.example as when it was read"),
    (None, "now leads to https://clinic.example/ketamine; no host is on record")])
def test_a_doi_that_leads_to_another_host_than_when_it_was_read_is_for_an_editor(services, tmp_path, capsys,
                                                                                  on_record, said):
    services.expect_request(HANDLES + FOUND, query_string="type=URL").respond_with_json(
        handle_found(FOUND, "https://clinic.example/ketamine"))
    services.expect_request(WORKS).respond_with_json(work_list())
    status, lines, report = watch(site(tmp_path, {"trial": paper()}, doi_host=on_record), capsys)
    assert status == 1
    assert lines[0] == f"[^trial] new host: DOI {FOUND} {said}"
    assert "record its host in content/references-read.toml as doi_hosts.label" in report


def test_a_doi_that_does_not_resolve_is_dead(services, tmp_path, capsys):
    services.expect_request(HANDLES + "10.1000/missing").respond_with_json(
        {"responseCode": 100, "handle": "10.1000/missing"}, status=404)
    status, lines, _ = watch(site(tmp_path, {"trial": paper("10.1000/missing")}), capsys)
    assert status == 1
    assert lines[0] == "[^trial] dead: DOI 10.1000/missing is not registered (doi.org: handle not found)"
    assert [request.path for request, _ in services.log] == [HANDLES + "10.1000/missing"]  # Crossref not asked


def test_a_doi_with_no_address_is_dead(services, tmp_path, capsys):
    # responseCode 200, "Values Not Found": the handle exists but has no URL to send a reader to.
    services.expect_request(HANDLES + FOUND).respond_with_json({"responseCode": 200, "handle": FOUND, "values": []})
    status, lines, _ = watch(site(tmp_path, {"trial": paper()}), capsys)
    assert (status, lines[0]) == (1, f"[^trial] dead: DOI {FOUND} is registered but has no address (doi.org: no URL)")


def test_a_retraction_is_reported_with_its_date_and_the_review_it_postdates(services, tmp_path, capsys):
    doi_resolves(services, FOUND, notice("10.1000/found.retraction", "retraction", "Retraction", (2026, 3, 2)))
    status, lines, report = watch(site(tmp_path, {"trial": paper()}), capsys)
    expected = ("[^trial] retracted: Retraction of 2026-03-02, notice https://doi.org/10.1000/found.retraction; "
                f"newer than the Reviewed date of articles/guide.md ({REVIEWED})")
    assert (status, lines[0]) == (1, expected)
    assert "## Needs an editor" in report and "stop relying on the work" in report


def test_a_retraction_older_than_the_review_still_needs_an_editor(services, tmp_path, capsys):
    doi_resolves(services, FOUND, notice("10.1000/found.retraction", "retraction", "Retraction", (2021, 5, 1),
                                         source="retraction-watch"))
    status, lines, _ = watch(site(tmp_path, {"trial": paper()}), capsys)
    assert (status, lines[0]) == (1, "[^trial] retracted: Retraction of 2021-05-01, notice "
                                     "https://doi.org/10.1000/found.retraction (from Retraction Watch)")


def test_an_expression_of_concern_needs_an_editor(services, tmp_path, capsys):
    doi_resolves(services, FOUND, notice("10.1000/found.eoc", "expression_of_concern", "Expression of concern",
                                         (2025, 6, 30)))
    status, lines, _ = watch(site(tmp_path, {"trial": paper()}), capsys)
    assert (status, lines[0]) == (1, "[^trial] concern: Expression of concern of 2025-06-30, notice "
                                     "https://doi.org/10.1000/found.eoc")


def test_a_correction_after_the_review_needs_an_editor(services, tmp_path, capsys):
    doi_resolves(services, FOUND, notice("10.1000/found.erratum", "correction", "Correction", (2026, 2, 1)))
    status, lines, _ = watch(site(tmp_path, {"trial": paper()}), capsys)
    assert (status, lines[0]) == (1, "[^trial] corrected: Correction of 2026-02-01, notice "
                                     "https://doi.org/10.1000/found.erratum; newer than the Reviewed date of "
                                     f"articles/guide.md ({REVIEWED})")


def test_a_correction_the_review_already_covered_is_only_noted(services, tmp_path, capsys):
    doi_resolves(services, FOUND, notice("10.1000/found.erratum", "correction", "Correction", (2025, 12)),
                 notice("10.1000/other.erratum", "correction", "Correction", (2026, 2, 1), updates="10.1000/other"))
    status, lines, report = watch(site(tmp_path, {"trial": paper()}), capsys)
    assert status == 0 and lines[0].startswith("sources: 1 checked: nothing needs an editor")
    # A month-only date counts as its last day; a notice about another work is not ours.
    assert ("- **[^trial]** note: `Correction of 2025-12-31, notice https://doi.org/10.1000/found.erratum; "
            "the citing pages were reviewed after it`") in report
    assert "other.erratum" not in report


# Links.

@pytest.mark.parametrize("location", ["https://www.nhs.uk/conditions/jaundice-adults/", "/conditions/jaundice-adults/"])
def test_a_permanent_redirect_is_reported_with_the_new_address(services, tmp_path, capsys, location):
    services.expect_request("/www.nhs.uk/conditions/jaundice/").respond_with_data(
        "", status=301, headers={"Location": location})
    services.expect_request("/www.nhs.uk/conditions/jaundice-adults/").respond_with_data("<h1>Jaundice</h1>")
    status, lines, _ = watch(site(tmp_path, {"jaundice": "NHS. Jaundice. <https://www.nhs.uk/conditions/jaundice/>"}),
                             capsys)
    assert (status, lines[0]) == (1, "[^jaundice] moved: https://www.nhs.uk/conditions/jaundice/ has moved "
                                     "permanently to https://www.nhs.uk/conditions/jaundice-adults/")


def test_a_temporary_redirect_is_not_a_move(services, tmp_path, capsys):
    services.expect_request("/www.nhs.uk/conditions/jaundice/").respond_with_data(
        "", status=302, headers={"Location": "https://www.nhs.uk/consent/?next=/conditions/jaundice/"})
    services.expect_request("/www.nhs.uk/consent/").respond_with_data("<h1>Cookies</h1>")
    status, lines, _ = watch(site(tmp_path, {"jaundice": "NHS. Jaundice. <https://www.nhs.uk/conditions/jaundice/>"}),
                             capsys)
    assert status == 0, lines


def test_a_page_that_answers_404_is_dead(services, tmp_path, capsys):
    services.expect_request("/www.nice.org.uk/guidance/ng193").respond_with_data("Not found", status=404)
    status, lines, _ = watch(site(tmp_path, {"nice": "NICE. NG193. <https://www.nice.org.uk/guidance/ng193>"}), capsys)
    assert (status, lines[0]) == (1, "[^nice] dead: https://www.nice.org.uk/guidance/ng193 answers 404 Not Found")


# DailyMed labels.

def ketalar(named=""):
    return ("KETALAR (ketamine hydrochloride) injection: prescribing information" + named + ". DailyMed. "
            f"<https://dailymed.nlm.nih.gov/dailymed/drugInfo.cfm?setid={KETALAR_SETID}>")


def test_a_newer_label_version_than_the_reference_names(services, tmp_path, capsys):
    services.expect_request(HISTORY).respond_with_json(label_history((13, "Mar 02, 2026"), (12, "Oct 31, 2024")))
    status, lines, _ = watch(site(tmp_path, {"ketalar": ketalar(" (SPL version 12)")}), capsys)
    assert (status, lines[0]) == (1, "[^ketalar] newer label: DailyMed's current version is 13 of 2026-03-02; "
                                     "the reference names version 12; newer than the Reviewed date of "
                                     f"articles/guide.md ({REVIEWED})")


def test_the_label_the_page_was_reviewed_against_needs_nothing(services, tmp_path, capsys):
    services.expect_request(HISTORY).respond_with_json(label_history((12, "Oct 31, 2024"), (11, "Jan 05, 2022")))
    status, lines, _ = watch(site(tmp_path, {"ketalar": ketalar(" (SPL version 12)")}), capsys)
    assert status == 0, lines


def test_a_label_dailymed_no_longer_has_is_dead(services, tmp_path, capsys):
    services.expect_request(HISTORY).respond_with_data("", status=404)
    status, lines, _ = watch(site(tmp_path, {"ketalar": ketalar()}), capsys)
    assert (status, lines[0]) == (1, f"[^ketalar] dead: DailyMed has no label with set id {KETALAR_SETID}")


# Refusals and outages: never a dead source, always status 2.

def test_a_403_is_a_refusal_not_a_dead_source(services, tmp_path, capsys):
    services.expect_request("/www.fda.gov/drugs/page").respond_with_data("Access Denied", status=403)
    status, lines, report = watch(site(tmp_path, {"fda": "FDA. A page. <https://www.fda.gov/drugs/page>"}), capsys)
    assert (status, lines[0]) == (2, "[^fda] could not check: www.fda.gov answered 403 Forbidden")
    assert "## Could not be checked" in report and "dead" not in report


def test_a_429_is_retried_after_the_time_it_asks_for_then_reported(services, tmp_path, capsys):
    services.expect_request(HANDLES + FOUND).respond_with_data(
        "Too many requests", status=429, headers={"Retry-After": "1"})
    started = time.monotonic()
    status, lines, _ = watch(site(tmp_path, {"trial": paper()}), capsys)
    assert (status, lines[0]) == (2, "[^trial] could not check: doi.org answered 429 Too Many Requests (3 tries)")
    assert len(services.log) == 3 and time.monotonic() - started >= 2  # it waited Retry-After twice


def test_a_429_then_an_answer_is_no_finding(services, tmp_path, capsys):
    services.expect_ordered_request(HANDLES + FOUND).respond_with_data("", status=429, headers={"Retry-After": "1"})
    services.expect_ordered_request(HANDLES + FOUND).respond_with_json(handle_found(FOUND))
    services.expect_request(WORKS).respond_with_json(work_list())
    status, lines, _ = watch(site(tmp_path, {"trial": paper()}), capsys)
    assert status == 0, lines


def test_a_503_is_retried_with_back_off_then_reported(services, tmp_path, capsys):
    services.expect_request(HANDLES + FOUND).respond_with_json({"responseCode": 2}, status=503)
    status, lines, _ = watch(site(tmp_path, {"trial": paper()}), capsys)
    assert (status, lines[0]) == (2, "[^trial] could not check: doi.org answered 503 Service Unavailable (3 tries)")
    assert len(services.log) == 3


def test_a_retry_after_longer_than_we_wait_is_a_refusal_for_today(services, tmp_path, capsys):
    services.expect_request(WORKS).respond_with_data("", status=429, headers={"Retry-After": "3600"})
    services.expect_request(HANDLES + FOUND).respond_with_json(handle_found(FOUND))
    status, lines, _ = watch(site(tmp_path, {"trial": paper()}), capsys)
    assert (status, lines[0]) == (2, "[^trial] could not check: api.crossref.org answered 429 Too Many Requests "
                                     "and asked us to wait 3600 s")


def slow(seconds):
    def answer(request):
        time.sleep(seconds)
        return Response("late", status=200)
    return answer


def test_a_timeout_is_reported_as_could_not_check(services, tmp_path, capsys):
    services.expect_request("/www.nhs.uk/slow").respond_with_handler(slow(1.5))
    services.expect_request("/www.nhs.uk/fine").respond_with_data("ok")
    content = site(tmp_path, {"slow": "NHS. Slow. <https://www.nhs.uk/slow>",
                              "fine": "NHS. Fine. <https://www.nhs.uk/fine>"})
    status, lines, _ = watch(content, capsys, "--timeout", "0.3")
    assert (status, lines[0]) == (2, "[^slow] could not check: www.nhs.uk did not answer within 0.3 s")


def test_the_whole_run_is_bounded_in_time(services, tmp_path, capsys):
    services.expect_request("/www.nhs.uk/slow").respond_with_handler(slow(3))
    content = site(tmp_path, {f"slow{n}": f"NHS. Slow. <https://www.nhs.uk/slow?{n}>" for n in range(6)})
    # No clock in the assertion (a busy machine is slow): had the limit not cut the run, each
    # source would have answered after 3 s, and there would be no such line.
    status, lines, _ = watch(content, capsys, "--timeout", "30", "--time-limit", "0.5")
    assert status == 2 and len(lines) == 1 and lines[0].startswith("sources: could not check: no answer from any")


def test_no_network_is_one_line_and_status_2(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("SOURCE_WATCH_MAP", "https://=http://127.0.0.1:1/")  # nothing listens on port 1
    content = site(tmp_path, {"trial": paper(), "nhs": "NHS. <https://www.nhs.uk/conditions/jaundice/>"})
    status, lines, _ = watch(content, capsys)
    assert status == 2 and len(lines) == 1
    assert lines[0].startswith("sources: could not check: no answer from any service (cannot reach doi.org")


def test_a_finding_wins_over_a_source_that_could_not_be_checked(services, tmp_path, capsys):
    services.expect_request("/www.nice.org.uk/gone").respond_with_data("", status=410)
    services.expect_request("/www.fda.gov/page").respond_with_data("", status=403)
    content = site(tmp_path, {"nice": "NICE. <https://www.nice.org.uk/gone>", "fda": "FDA. <https://www.fda.gov/page>"})
    status, lines, _ = watch(content, capsys)
    assert status == 1
    assert lines == ["[^nice] dead: https://www.nice.org.uk/gone answers 410 Gone",
                     "[^fda] could not check: www.fda.gov answered 403 Forbidden",
                     f"sources: 2 checked: 1 finding(s) need an editor, 1 could not be checked "
                     f"(report: {tmp_path}/report.md)"]


def test_an_answer_in_an_undocumented_shape_is_could_not_check(services, tmp_path, capsys):
    services.expect_request(HANDLES + FOUND).respond_with_data("<html>maintenance</html>", status=200)
    status, lines, _ = watch(site(tmp_path, {"trial": paper()}), capsys)
    assert (status, lines[0]) == (2, "[^trial] could not check: doi.org answered 200 with something that is not JSON")


# The one function every request passes through.

def test_source_watch_map_remaps_every_outgoing_url(monkeypatch):
    monkeypatch.setenv("SOURCE_WATCH_MAP", "https://=http://127.0.0.1:8001/ https://doi.org/=http://mirror/doi/")
    assert source_watch.outgoing("https://doi.org/api/handles/10.1/x") == "http://mirror/doi/api/handles/10.1/x"
    assert source_watch.outgoing("https://www.nhs.uk/a") == "http://127.0.0.1:8001/www.nhs.uk/a"
    assert source_watch.incoming("http://127.0.0.1:8001/www.nhs.uk/b") == "https://www.nhs.uk/b"
    monkeypatch.delenv("SOURCE_WATCH_MAP")
    assert source_watch.outgoing("https://www.nhs.uk/a") == "https://www.nhs.uk/a"


def test_a_malformed_map_stops_the_run_in_one_line(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("SOURCE_WATCH_MAP", "https://127.0.0.1")
    status, lines, _ = watch(site(tmp_path, {"trial": paper()}), capsys)
    assert (status, lines) == (2, ["sources: could not check: SOURCE_WATCH_MAP: 'https://127.0.0.1' is not "
                                   "PREFIX=REPLACEMENT"])


def test_never_a_traceback(tmp_path):
    content = site(tmp_path, {"trial": paper()})
    (content / "references.md").write_text("not a reference\n")
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "source_watch.py"), "--content", str(content)],
                            capture_output=True, text=True, env={"PATH": "/usr/bin:/bin"})
    assert result.returncode == 2 and "Traceback" not in result.stderr, result.stderr
    assert result.stdout.splitlines() == [f"sources: could not check: {content}/references.md:1: not a reference "
                                          "('[^label]: citation <https://...>')"]


def test_it_reads_the_sites_references_and_review_dates():
    sources = {source.label: source for source in source_watch.read_sources(ROOT / "content")}
    assert len(sources) >= 20 and all(source.link.startswith("https://") for source in sources.values())
    article = "articles/ketamine-therapy-for-chronic-pain.md"
    assert isinstance(sources["cohen2018"].reviewed[article], datetime.date)
    assert source_watch.DAILYMED_LABEL.match(sources["ketalar"].link)


def test_retry_after_as_an_http_date():
    later = datetime.datetime.now(datetime.UTC) + datetime.timedelta(seconds=30)

    class Answer:
        headers = {"retry-after": later.strftime("%a, %d %b %Y %H:%M:%S GMT")}

    assert 25 <= source_watch.retry_after(Answer, default=1) <= 31
    Answer.headers = {}
    assert source_watch.retry_after(Answer, default=1) == 1


# The weekly workflow.

def test_the_workflow_runs_weekly_reports_once_and_cannot_touch_the_deploy():
    text = (ROOT / ".github/workflows/sources.yml").read_text()
    triggers = text.partition("\non:\n")[2].partition("\n\n")[0]
    assert "  schedule:\n    - cron: " in triggers and "  workflow_dispatch:" in triggers and "push" not in triggers
    assert "\npermissions:\n  contents: read\n\n" in text
    check_job, _, report_job = text.partition("\n  report:\n")
    assert "permissions" not in check_job.partition("\njobs:\n")[2]
    assert "    permissions:\n      issues: write\n" in report_job and text.count("write") == 1
    assert "    if: needs.check.outputs.status == '1'\n" in report_job
    assert "pages:" not in text and "-pages@" not in text and "make publish" not in text
    assert "group: source-watch" in text
    assert ".venv/bin/python scripts/source_watch.py" in text and "gh issue list --label source-watch" in text


# Hostile or broken answers (round 3): outside text is data, and the watch calls a source fine
# only when it is.

HOSTILE = "<img src=x onerror=alert(1)> @octocat [log in](https://evil.example/)\n## Retracted\n- fake\n::error::boom"


def test_outside_text_cannot_shape_the_report_or_the_job_log(services, tmp_path, capsys):
    doi_resolves(services, FOUND, notice("10.1000/found.retraction", "retraction", HOSTILE, (2026, 3, 1)))
    status, lines, report = watch(site(tmp_path, {"trial": paper()}), capsys)
    assert status == 1
    assert not [line for line in lines if line.startswith("::")], "no line of the log is a workflow command"
    found = [line for line in report.splitlines() if "[^trial]" in line]
    assert len(found) == 1 and found[0].startswith("- **[^trial]** retracted: `") and found[0].endswith("`")
    assert found[0].count("`") == 2, "all of the outside text is in one code span"
    assert not [line for line in report.splitlines() if line.startswith(("## Retracted", "- fake", "::"))]
    assert report.startswith(source_watch.REPORT_MARKER + "\n")


@pytest.mark.parametrize("location", ["https://www.nhs.uk/", "https://clinic.example/ketamine",
                                      "http://www.nhs.uk/conditions/jaundice/"])
def test_a_redirect_to_a_home_page_another_host_or_plain_http_is_for_an_editor(services, tmp_path, capsys, location):
    services.expect_request("/www.nhs.uk/conditions/jaundice/").respond_with_data(
        "", status=302, headers={"Location": location})
    services.expect_request("/www.nhs.uk/").respond_with_data("<h1>NHS</h1>")
    services.expect_request("/clinic.example/ketamine").respond_with_data("<h1>Book now</h1>")
    status, lines, _ = watch(site(tmp_path, {"jaundice": "NHS. Jaundice. <https://www.nhs.uk/conditions/jaundice/>"}),
                             capsys)
    assert status == 1 and lines[0].startswith("[^jaundice] moved: https://www.nhs.uk/conditions/jaundice/ now leads "
                                               "to ") and lines[0].endswith(": check it is the same source"), lines


def test_a_redirect_loop_is_could_not_check_not_dead(services, tmp_path, capsys):
    services.expect_request("/www.nhs.uk/conditions/jaundice/").respond_with_data(
        "", status=302, headers={"Location": "https://www.nhs.uk/conditions/jaundice/"})
    status, lines, _ = watch(site(tmp_path, {"jaundice": "NHS. Jaundice. <https://www.nhs.uk/conditions/jaundice/>"}),
                             capsys)
    assert status == 2 and lines[0].startswith("[^jaundice] could not check: "), lines


def test_an_odd_retry_after_is_could_not_check(services, tmp_path, capsys):
    services.expect_request(HANDLES + FOUND).respond_with_data("", status=429, headers={"Retry-After": "soon-ish"})
    status, lines, _ = watch(site(tmp_path, {"trial": paper()}), capsys)
    assert (status, lines[0]) == (2, "[^trial] could not check: doi.org answered 429 Too Many Requests and asked us "
                                     "to wait 'soon-ish'")


@pytest.mark.parametrize("updated", [{}, {"date-parts": [[2026, 13, 45]]}, {"date-parts": [[None]]}])
def test_a_retraction_is_reported_whatever_its_date_says(services, tmp_path, capsys, updated):
    retraction = notice("10.1000/found.retraction", "retraction", "Retraction", (2026, 3, 1))
    retraction["update-to"][0]["updated"] = updated
    doi_resolves(services, FOUND, retraction)
    status, lines, _ = watch(site(tmp_path, {"trial": paper()}), capsys)
    assert (status, lines[0]) == (1, "[^trial] retracted: Retraction of a date Crossref does not give, notice "
                                     "https://doi.org/10.1000/found.retraction")


def test_an_answer_too_large_once_decompressed_is_could_not_check(services, tmp_path, capsys):
    import gzip
    bomb = gzip.compress(b"0" * (source_watch.MAX_ANSWER_BYTES + 1))  # about 2 KB on the wire
    services.expect_request(HANDLES + FOUND).respond_with_data(
        bomb, headers={"Content-Encoding": "gzip", "Content-Type": "application/json"})
    status, lines, _ = watch(site(tmp_path, {"trial": paper()}), capsys)
    assert status == 2 and lines[0] == (f"[^trial] could not check: doi.org answered with more than "
                                        f"{source_watch.MAX_ANSWER_BYTES:,} bytes"), lines


def test_a_report_that_cannot_be_written_loses_no_findings(services, tmp_path, capsys):
    services.expect_request("/www.nice.org.uk/guidance/ng193").respond_with_data("Not found", status=404)
    content = site(tmp_path, {"nice": "NICE. NG193. <https://www.nice.org.uk/guidance/ng193>"})
    status = source_watch.main(["--content", str(content), "--report", str(tmp_path / "no-such-folder" / "r.md")])
    lines = capsys.readouterr().out.splitlines()
    assert status == 2
    assert lines[0] == "[^nice] dead: https://www.nice.org.uk/guidance/ng193 answers 404 Not Found"
    assert lines[-1].startswith(f"sources: could not write the report to {tmp_path / 'no-such-folder' / 'r.md'}")


def test_the_workflow_edits_only_the_issue_it_opened_itself():
    text = (ROOT / ".github/workflows/sources.yml").read_text()
    assert '--author "app/github-actions"' in text
    assert f'startswith("{source_watch.REPORT_MARKER}")' in text
