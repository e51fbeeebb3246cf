"""make sources: does every source in content/references.md still say what our pages rely on?

For each reference: its link still answers (a permanent move is reported with the new
address); a DOI is asked of the doi.org handle API, never of a publisher's landing page, which
refuses automated clients; Crossref is asked for notices that update the work (retractions,
withdrawals, expressions of concern, corrections, Retraction Watch's data included); a DailyMed
label linked by set id is asked for its current version. Each finding is one line naming the
label; the same report is written as Markdown for the weekly workflow's issue.

Exit status: 0 nothing needs an editor; 1 a source needs an editor; 2 the check could not be
made (no network, a service refused or failed, out of time). An outage or a refusal is never
reported as a dead source: only an answer that says so (404 or 410, "handle not found") is.
When sources need an editor and others could not be checked, 1 wins and the report lists both.

Every request goes to the address `outgoing()` gives, which SOURCE_WATCH_MAP can remap
(space-separated PREFIX=REPLACEMENT pairs), so tests and a local mirror stand in for the services.
"""

import argparse
import calendar
import concurrent.futures
import dataclasses
import datetime
import email.utils
import os
import re
import sys
import time
import tomllib
from http import HTTPStatus
from pathlib import Path
from urllib.parse import quote, urlencode, urljoin, urlsplit

import httpx

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as `python scripts/source_watch.py`: the plugins live at the root
    sys.path.insert(0, str(ROOT))
from plugins.content_rules.html_policy import DAILYMED_LABEL  # noqa: E402 (after the path)
from plugins.content_rules.shared_files import DOI_LINK  # noqa: E402

HANDLE_API = "https://doi.org/api/handles/"
CROSSREF_WORKS = "https://api.crossref.org/works"
DAILYMED_HISTORY = "https://dailymed.nlm.nih.gov/dailymed/services/v2/spls/{setid}/history.json"

# A DailyMed reference pins the label it was read from by naming its version: "... (SPL version 12)".
NAMED_VERSION = re.compile(r"\bversion (\d+)\b", re.I)

# Notices that make a work unsafe to lean on whenever they appeared, by the kind of finding they
# are; other updates (corrections, errata, addenda, new versions) matter only if a citing page was
# reviewed before they appeared.
SERIOUS = {"retraction": "retracted", "partial_retraction": "retracted", "withdrawal": "retracted",
           "removal": "retracted", "expression_of_concern": "concern"}
GONE = {404: "Not Found", 410: "Gone"}
PERMANENT_MOVES = {301, 308}

TRIES = 3  # per request, on 429 and 5xx only
BACKOFF = 2.0  # seconds before the second try, doubled before each next one
LONGEST_WAIT = 60.0  # a Retry-After longer than this is a refusal for today
MAX_REDIRECTS = 10
# An answer is read up to this many bytes, after decompression: a 1 MB gzip bomb is no 2 GB in memory.
MAX_ANSWER_BYTES = 2_000_000
# The report's first line: how the workflow knows the issue it opened itself from one a person opened.
REPORT_MARKER = "<!-- source-watch report -->"
WORKERS = 4  # modest: a weekly job has time, and the services ask for restraint

WHAT_TO_DO = {
    "dead": "find the source again (a new address, or the same work elsewhere on an allowed site) or replace the "
            "reference; re-check what the pages say with it",
    "moved": "check the new address shows the same source, then put it in content/references.md",
    "new host": "open the DOI: if it leads to the same work, record its host in "
                "content/references-read.toml as doi_hosts.label = \"host\"; if not, find the source again",
    "retracted": "stop relying on the work: remove or replace the statements that cite it, then update each "
                 "page's Reviewed date",
    "concern": "read the expression of concern; do not let a statement rest on this work alone (add or prefer "
               "another source), then update the page's Reviewed date",
    "corrected": "read the notice; if it changes a fact a page states, correct the page; then update its Reviewed "
                 "date",
    "newer label": "read what changed in the label; update the pages that rely on it and their Reviewed dates, "
                   "and name the version you read in content/references.md",
    "could not check": "nothing to edit: run `make sources` again later; if it keeps failing, open the link by hand",
}


class Unchecked(Exception):
    """The source could not be checked: no answer, a refusal or a server error. Never a finding about it."""

    def __init__(self, reason, answered=True):
        super().__init__(reason)
        self.answered = answered  # False: nothing answered at all (no network, a timeout)


@dataclasses.dataclass
class Source:
    label: str
    line: str
    link: str | None
    reviewed: dict  # {citing file: its Reviewed date, or None}
    doi_host: str | None = None  # where its DOI led when it was read (references-read.toml)


@dataclasses.dataclass
class Finding:
    label: str
    kind: str  # a key of WHAT_TO_DO, or "note" for an update the last review already covers
    detail: str

    @property
    def needs_editor(self):
        return self.kind not in ("note", "could not check")

    def line(self):
        return f"[^{self.label}] {self.kind}: {self.detail}"


def read_sources(content):
    """Every reference in content/references.md, with the Reviewed date of each page citing it.
    The one place that reads the site's Markdown, with the build's own parsers."""
    from plugins.content_rules.shared_files import LINK_IN_DEFINITION, REFERENCE_DEFINITION, read_definitions
    from plugins.content_rules.shared_references import REFERENCE
    from plugins.content_rules.sources import parse_metadata

    path = content / "references.md"
    references, problems = read_definitions(path, REFERENCE_DEFINITION, "a reference ('[^label]: citation <https://...>')")
    for problem in problems:
        raise ValueError(f"{path}:{problem.removeprefix('line ')}")
    cited_by = {}
    for page in sorted([*content.glob("articles/*.md"), *content.glob("pages/*.md")]):
        metadata, body = parse_metadata(page.read_text("utf-8"))
        reviewed = dict(metadata).get("reviewed")
        for label in set(REFERENCE.findall("\n".join(body))):
            cited_by.setdefault(label, {})[page.relative_to(content).as_posix()] = parse_date(reviewed)
    read = content / "references-read.toml"
    try:
        doi_hosts = tomllib.loads(read.read_text("utf-8")).get("doi_hosts", {}) if read.exists() else {}
    except (UnicodeError, tomllib.TOMLDecodeError) as error:
        raise ValueError(f"{read}: cannot be read as TOML: {' '.join(str(error).split())}") from None
    sources = []
    for label, definition in references.items():
        link = LINK_IN_DEFINITION.search(definition.text)
        sources.append(Source(label, definition.line, link and (link[1] or link[2]), cited_by.get(label, {}),
                              doi_hosts.get(label)))
    return sources


def parse_date(text):
    try:
        return datetime.date.fromisoformat(text) if text else None
    except ValueError:
        return None


# Where requests go.

def url_map():
    """[(PREFIX, REPLACEMENT)] from SOURCE_WATCH_MAP, longest prefix first."""
    pairs = []
    for pair in os.environ.get("SOURCE_WATCH_MAP", "").split():
        prefix, equals, replacement = pair.partition("=")
        if not equals or not prefix:
            raise ValueError(f"SOURCE_WATCH_MAP: {pair!r} is not PREFIX=REPLACEMENT")
        pairs.append((prefix, replacement))
    return sorted(pairs, key=lambda pair: -len(pair[0]))


def outgoing(url):
    """The address a request for `url` is sent to: the one function every request passes through."""
    for prefix, replacement in url_map():
        if url.startswith(prefix):
            return replacement + url[len(prefix):]
    return url


def incoming(url):
    """`url` as the source's own address, when a mapped server named itself in a redirect."""
    for prefix, replacement in url_map():
        if replacement and url.startswith(replacement):
            return prefix + url[len(replacement):]
    return url


def user_agent(mailto):
    """Who is asking and how to reach them, as the services ask: the repository (in a workflow) and a mailto."""
    contacts = []
    if repository := os.environ.get("GITHUB_REPOSITORY"):
        contacts.append(f"+https://github.com/{repository}")
    if mailto:
        contacts.append(f"mailto:{mailto}")
    return "ketamine-pain-guide-source-watch/1.0" + (f" ({'; '.join(contacts)})" if contacts else "")


def status_of(response):
    """"404 Not Found": the standard phrase, whatever case or wording the server used."""
    try:
        phrase = HTTPStatus(response.status_code).phrase
    except ValueError:
        phrase = response.reason_phrase
    return f"{response.status_code} {phrase}"


class Http:
    """GET with the services' etiquette: a User-Agent with a contact, bounded retries with back-off
    on 429 and 5xx (honouring Retry-After), a timeout per request, and the run's deadline."""

    def __init__(self, timeout, deadline, mailto):
        self.timeout = timeout
        self.deadline = deadline
        self.client = httpx.Client(headers={"User-Agent": user_agent(mailto)}, follow_redirects=False)

    def get(self, url):
        host = urlsplit(url).hostname
        for attempt in range(1, TRIES + 1):
            remaining = self.deadline - time.monotonic()
            if remaining <= 0:
                raise Unchecked("the run's time limit ran out", answered=False)
            try:
                response = self.bounded_get(outgoing(url), min(self.timeout, remaining), host)
            except httpx.TimeoutException:
                raise Unchecked(f"{host} did not answer within {min(self.timeout, remaining):g} s",
                                answered=False) from None
            except httpx.HTTPError as error:
                raise Unchecked(f"cannot reach {host} ({error})", answered=False) from None
            if response.status_code != 429 and response.status_code < 500:
                return response
            answered = f"{host} answered {status_of(response)}"
            wait = retry_after(response, default=BACKOFF * 2 ** (attempt - 1))
            if wait is None:
                raise Unchecked(f"{answered} and asked us to wait {response.headers.get('retry-after')!r}")
            if attempt == TRIES:
                raise Unchecked(f"{answered} ({TRIES} tries)")
            if wait > LONGEST_WAIT or time.monotonic() + wait > self.deadline:
                raise Unchecked(f"{answered} and asked us to wait {wait:g} s")
            time.sleep(wait)

    def bounded_get(self, url, timeout, host):
        """The answer, its body read (decompressed) up to MAX_ANSWER_BYTES, else Unchecked."""
        with self.client.stream("GET", url, timeout=timeout) as response:
            body = bytearray()
            for chunk in response.iter_bytes():
                body += chunk
                if len(body) > MAX_ANSWER_BYTES:
                    raise Unchecked(f"{host} answered with more than {MAX_ANSWER_BYTES:,} bytes")
        headers = [(name, value) for name, value in response.headers.multi_items()
                   if name.lower() != "content-encoding"]
        return httpx.Response(response.status_code, headers=headers, content=bytes(body), request=response.request,
                              extensions=response.extensions)

    def close(self):
        self.client.close()


def retry_after(response, default):
    """Seconds Retry-After asks for (a number or an HTTP date); `default` without one; None for a
    value that is neither, which says nothing we can act on."""
    value = response.headers.get("retry-after", "").strip()
    if not value:
        return default
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
        return max(0.0, (when - datetime.datetime.now(datetime.UTC)).total_seconds())
    except (TypeError, ValueError, OverflowError):
        return None


def refusal(response, host):
    """Unchecked for an answer that says nothing about the source: 401, 403, or anything unexpected."""
    return Unchecked(f"{host} answered {status_of(response)}")


def json_of(response, host):
    try:
        return response.json()
    except ValueError:
        raise Unchecked(f"{host} answered {response.status_code} with something that is not JSON") from None


# The checks: each returns the findings for one source, or raises Unchecked.

def check_link(http, source):
    url, moved_to, permanent_so_far, elsewhere = source.link, None, True, None
    for _ in range(MAX_REDIRECTS + 1):
        response = http.get(url)
        if not response.is_redirect:
            break
        next_url = incoming(urljoin(url, response.headers["location"]))
        # The new address is where an unbroken chain of permanent moves ends: a later temporary
        # redirect is the site's business, not a new address for the reference.
        permanent_so_far = permanent_so_far and response.status_code in PERMANENT_MOVES
        if permanent_so_far:
            moved_to = next_url
        # A redirect to another host, to a site's home page or away from https, whatever its
        # status, may no longer be the source: an editor looks.
        elsewhere = elsewhere or (next_url if not same_source_place(source.link, next_url) else None)
        url = next_url
        if urlsplit(url).scheme != "https":  # never followed: nothing is asked over plain http
            break
    else:
        raise Unchecked(f"{source.link} redirects more than {MAX_REDIRECTS} times (a loop, or a site fault)")
    if elsewhere and urlsplit(url).scheme != "https":
        return [Finding(source.label, "moved", f"{source.link} now leads to {url}: check it is the same source")]
    status = status_of(response)
    if response.status_code in GONE:
        where = f" (it moved to {url})" if url != source.link else ""
        return [Finding(source.label, "dead", f"{source.link} answers {status}{where}")]
    if not response.is_success:
        raise refusal(response, urlsplit(url).hostname)
    if elsewhere:
        return [Finding(source.label, "moved", f"{source.link} now leads to {url}: check it is the same source")]
    if moved_to:
        return [Finding(source.label, "moved", f"{source.link} has moved permanently to {moved_to}")]
    return []


def same_source_place(link, url):
    """Is `url` still plausibly the page `link` named: https, the same host, not its home page?"""
    old, new = urlsplit(link), urlsplit(url)
    home = new.path in ("", "/") and not new.query and old.path not in ("", "/")
    return new.scheme == "https" and new.hostname == old.hostname and not home


def check_doi(http, source, doi, mailto):
    response = http.get(HANDLE_API + quote(doi, safe="/") + "?type=URL")
    answer = json_of(response, "doi.org") if response.status_code in (200, 404) else None
    code = answer.get("responseCode") if isinstance(answer, dict) else None
    if code == 100:  # "Handle Not Found", with HTTP 404
        return [Finding(source.label, "dead", f"DOI {doi} is not registered (doi.org: handle not found)")]
    if code == 200:  # "Values Not Found": the DOI exists but leads nowhere
        return [Finding(source.label, "dead", f"DOI {doi} is registered but has no address (doi.org: no URL)")]
    if code != 1:
        raise refusal(response, "doi.org") if code is None else Unchecked(f"doi.org answered responseCode {code}")
    # A DOI that now leads to another host (a clinic's page, a new publisher) is for an editor, never fine.
    target = next(value["data"]["value"] for value in answer["values"] if value["type"] == "URL")
    host = urlsplit(target).hostname
    if host != source.doi_host:
        was = f", not {source.doi_host} as when it was read" if source.doi_host else "; no host is on record"
        return [Finding(source.label, "new host", f"DOI {doi} now leads to {target}{was}"),
                *notices(http, source, doi, mailto)]
    return notices(http, source, doi, mailto)


def notices(http, source, doi, mailto):
    """Crossref's notices that update the work, as findings: each with its date, and whether a
    citing page was reviewed before it."""
    query = {"filter": f"updates:{doi}", **({"mailto": mailto} if mailto else {})}
    response = http.get(f"{CROSSREF_WORKS}?{urlencode(query)}")
    if response.status_code != 200:
        raise refusal(response, "api.crossref.org")
    findings = []
    for notice in json_of(response, "api.crossref.org")["message"]["items"]:
        for update in notice.get("update-to", []):
            if update.get("DOI", "").lower() != doi.lower():
                continue
            kind = update.get("type", "update")
            published = crossref_date(update.get("updated"))
            reviewed_before = reviewed_before_date(source, published) if published else ""
            when = published.isoformat() if published else "a date Crossref does not give"
            what = (f"{update.get('label') or kind.replace('_', ' ')} of {when}, "
                    f"notice https://doi.org/{notice.get('DOI')}"
                    + (" (from Retraction Watch)" if update.get("source") == "retraction-watch" else ""))
            if kind in SERIOUS:
                findings.append(Finding(source.label, SERIOUS[kind], what + reviewed_before))
            elif reviewed_before or not published or not any(source.reviewed.values()):
                findings.append(Finding(source.label, "corrected", what + (reviewed_before or "; no citing page "
                                                                           "has a Reviewed date")))
            else:
                findings.append(Finding(source.label, "note", what + "; the citing pages were reviewed after it"))
    return findings


def crossref_date(date):
    """A Crossref partial date ({"date-parts": [[2024, 3]]}) as the last day it can mean: a notice is
    never taken to be older than it is. None for a missing or impossible date: the notice still counts."""
    try:
        year, month, day = (list(date["date-parts"][0]) + [None, None])[:3]
        month = month or 12
        return datetime.date(year, month, day or calendar.monthrange(year, month)[1])
    except (KeyError, IndexError, TypeError, ValueError, OverflowError):
        return None


def reviewed_before_date(source, date):
    """"; newer than the Reviewed date of pages/x.md (2024-01-01)" for the citing pages reviewed before `date`."""
    older = [f"{page} ({reviewed.isoformat()})" for page, reviewed in sorted(source.reviewed.items())
             if reviewed and reviewed < date]
    return f"; newer than the Reviewed date of {', '.join(older)}" if older else ""


def check_label(http, source, setid):
    response = http.get(DAILYMED_HISTORY.format(setid=setid))
    if response.status_code in GONE:
        return [Finding(source.label, "dead", f"DailyMed has no label with set id {setid}")]
    if response.status_code != 200:
        raise refusal(response, "dailymed.nlm.nih.gov")
    history = json_of(response, "dailymed.nlm.nih.gov")["data"]["history"]
    if not history:
        return [Finding(source.label, "dead", f"DailyMed has no version of the label with set id {setid}")]
    current = max(history, key=lambda entry: int(entry["spl_version"]))
    version = int(current["spl_version"])
    published = datetime.datetime.strptime(current["published_date"], "%b %d, %Y").date()
    why = []
    named = NAMED_VERSION.search(source.line.partition("<")[0])
    if named and version > int(named[1]):
        why.append(f"the reference names version {named[1]}")
    if newer := reviewed_before_date(source, published):
        why.append(newer.removeprefix("; "))
    if not why:
        return []
    return [Finding(source.label, "newer label",
                    f"DailyMed's current version is {version} of {published.isoformat()}; {'; '.join(why)}")]


def check(http, source, mailto):
    """(findings, answered): answered is False when no service answered at all."""
    if not source.link:
        return [Finding(source.label, "dead", "the reference has no link")], True
    try:
        if doi := DOI_LINK.match(source.link):
            return check_doi(http, source, doi[1], mailto), True
        if setid := DAILYMED_LABEL.match(source.link):
            return check_label(http, source, setid[1].lower()), True
        return check_link(http, source), True
    except Unchecked as reason:
        return [Finding(source.label, "could not check", str(reason))], reason.answered
    except (KeyError, IndexError, TypeError, ValueError, AttributeError) as error:
        # A service that answers in a shape it does not document says nothing about the source.
        return [Finding(source.label, "could not check",
                        f"unexpected answer ({error.__class__.__name__}: {error})")], True
    except Exception as error:  # anything else stays this source's problem: the others are still reported
        return [Finding(source.label, "could not check", f"{error.__class__.__name__}: {error}")], True


def check_all(sources, http, mailto, deadline):
    """[(source, findings, answered)] in the order of references.md, within the deadline."""
    pool = concurrent.futures.ThreadPoolExecutor(max_workers=WORKERS)
    futures = [pool.submit(check, http, source, mailto) for source in sources]
    concurrent.futures.wait(futures, timeout=max(0.0, deadline - time.monotonic()))
    pool.shutdown(wait=False, cancel_futures=True)
    results = []
    for source, future in zip(sources, futures, strict=True):
        if not future.done() or future.cancelled():
            results.append((source, [Finding(source.label, "could not check", "the run's time limit ran out")], False))
            continue
        results.append((source, *future.result()))
    return results


# The report.

def one_line(text):
    """Outside text on one line: control characters (a line break that could start '::error::' in
    the job log, or a new Markdown block in the report) become spaces."""
    return " ".join("".join(c if c.isprintable() else " " for c in str(text)).split())


def inert(text, limit=400):
    """Outside text as the report shows it: one line in a code span, where GitHub makes no link,
    mention, HTML, heading or list item of it."""
    text = one_line(text).replace("`", "'")
    return f"`{text[:limit]}{'...' if len(text) > limit else ''}`"


def markdown_report(results, today):
    findings = [finding for _, found, _ in results for finding in found]
    editor = [f for f in findings if f.needs_editor]
    unchecked = [f for f in findings if f.kind == "could not check"]
    notes = [f for f in findings if f.kind == "note"]
    lines = [REPORT_MARKER, "# Sources to re-check", "",
             f"`make sources` on {today.isoformat()} checked the {len(results)} references in "
             f"`content/references.md`: {len(editor)} finding(s) need an editor, "
             f"{len(unchecked)} source(s) could not be checked.", ""]
    for title, group in (("Needs an editor", editor), ("Could not be checked", unchecked),
                         ("Already covered by the last review", notes)):
        if group:
            lines += [f"## {title}", ""]
            lines += [f"- **[^{f.label}]** {f.kind}: {inert(f.detail)}" for f in group]
            lines.append("")
    kinds = dict.fromkeys(f.kind for f in editor + unchecked)
    if kinds:
        lines += ["## What to do", ""]
        lines += [f"- **{kind}**: {WHAT_TO_DO[kind]}." for kind in kinds]
        lines += ["", "Then run `make sources` again: a source that needs nothing is not listed.", ""]
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--content", type=Path, default=ROOT / "content", help="the content folder")
    parser.add_argument("--report", type=Path, default=os.environ.get("SOURCE_WATCH_REPORT") or None,
                        help="also write the report as Markdown here (default: $SOURCE_WATCH_REPORT)")
    parser.add_argument("--timeout", type=float, default=20.0, help="seconds to wait for one answer")
    parser.add_argument("--time-limit", type=float, default=300.0, help="seconds for the whole run")
    args = parser.parse_args(argv)
    deadline = time.monotonic() + args.time_limit
    try:
        return run(args, deadline)
    except Exception as error:  # never a traceback: one line, and "could not check"
        print(f"sources: could not check: {one_line(error)}")
        return 2


def run(args, deadline):
    mailto = os.environ.get("SOURCE_WATCH_MAILTO", "").strip()
    url_map()  # a malformed SOURCE_WATCH_MAP stops the run before any request
    sources = read_sources(args.content)
    http = Http(args.timeout, deadline, mailto)
    try:
        results = check_all(sources, http, mailto, deadline)
    finally:
        http.close()
    findings = [finding for _, found, _ in results for finding in found]
    editor = [f for f in findings if f.needs_editor]
    unchecked = [f for f in findings if f.kind == "could not check"]
    if results and not any(answered for _, _, answered in results):
        # Nothing answered at all: one line, not one per source.
        print(f"sources: could not check: no answer from any service ({one_line(unchecked[0].detail)})")
        return 2
    # The findings first: a report that cannot be written loses none of them.
    for finding in editor + unchecked:
        print(one_line(finding.line()))
    print(f"sources: {len(results)} checked: "
          + (f"{len(editor)} finding(s) need an editor" if editor else "nothing needs an editor")
          + (f", {len(unchecked)} could not be checked" if unchecked else "")
          + (f" (report: {args.report})" if args.report else ""))
    if args.report:
        try:
            args.report.write_text(markdown_report(results, datetime.date.today()), "utf-8")
        except OSError as error:
            print(f"sources: could not write the report to {args.report} ({error.strerror or error}): "
                  "the findings are the lines above")
            return 2
    if editor:
        return 1
    return 2 if unchecked else 0


if __name__ == "__main__":
    sys.exit(main())
