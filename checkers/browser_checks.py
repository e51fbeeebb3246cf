"""Checks run in headless Chromium on a loaded Playwright page. Each returns a list of
problems (empty when the page is fine), so a test can also run it on a broken copy."""

from urllib.parse import urlsplit

from prerequisites import AXE_SCRIPT

# WCAG 2.2 A and AA, and axe's best practices (landmarks, headings, unique names...).
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa", "best-practice"]
# A phone and a desktop, each in light and dark.
VIEWS = [(320, "light"), (320, "dark"), (1280, "light"), (1280, "dark")]
# The rules whose results a view can change: colours change with the colour scheme, and with the
# width, what the layout puts behind a text, how big a link is and what scrolls. Every other rule
# reads the document and its accessibility tree, the same in every view that shows the same elements.
VIEW_RULES = ["color-contrast", "link-in-text-block", "target-size", "scrollable-region-focusable"]
# Which elements the view shows, one digit each: a view that shows or hides others gets all of axe.
SHOWN_ELEMENTS = """() => [...document.querySelectorAll('body *')]
    .map(e => e.checkVisibility({visibilityProperty: true, opacityProperty: true}) ? 1 : 0).join('')"""


def axe_violations(page, rules=None):
    """axe-core's WCAG A/AA violations (or those of `rules` alone), one line each. The page's
    context needs bypass_csp, since our Content Security Policy (rightly) refuses to run the axe
    script."""
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_SCRIPT))
    only = {"type": "rule", "values": rules} if rules else {"type": "tag", "values": AXE_TAGS}
    result = page.evaluate("only => axe.run(document, {runOnly: only})", only)
    # A contrast axe could not decide (text over an image, say) is a question, not a pass.
    undecided = [v for v in result["incomplete"] if v["id"] == "color-contrast"]
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {', '.join(' '.join(n['target']) for n in v['nodes'][:3])}"
        for v in result["violations"] + undecided
    ]


def axe_violations_in_every_view(page, height=900):
    """{"320 px, dark": [violations], ...} for each view (VIEWS) that has any: all of axe in the
    first view; in each other, the rules a view can change (VIEW_RULES), or all of axe again if the
    view shows other elements than the first. The loaded page is laid out again for each view
    (Playwright's viewport and colour-scheme emulation), not loaded again."""
    found, first_shown = {}, None
    for width, scheme in VIEWS:
        page.set_viewport_size({"width": width, "height": height})
        page.emulate_media(color_scheme=scheme)
        shown = page.evaluate(SHOWN_ELEMENTS)
        rules = VIEW_RULES if shown == first_shown else None
        if first_shown is None:
            first_shown = shown
        if violations := axe_violations(page, rules):
            found[f"{width} px, {scheme}"] = violations
    return found


def skip_link_problems(page):
    page.keyboard.press("Tab")
    first = page.evaluate("document.activeElement.className + ' ' + document.activeElement.getAttribute('href')")
    if first != "skip-link #main":
        return [f"the first Tab focuses '{first}', not the skip link"]
    page.keyboard.press("Enter")
    focused = page.evaluate("document.activeElement.id")
    return [] if focused == "main" else [f"the skip link moved focus to '{focused}', not to <main>"]


FOCUS_STYLE = """() => {
  const el = document.activeElement, style = getComputedStyle(el);
  const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2;
  const ring = style.boxShadow !== 'none';
  return {tag: el.tagName, text: (el.textContent || '').trim().slice(0, 40), href: el.getAttribute('href'),
          visible: outline || ring, isBody: el === document.body};
}"""


def focus_style_problems(page):
    """Tab through the whole page: every link must be reached, and show a visible focus ring."""
    links = page.evaluate("document.querySelectorAll('a[href]').length")
    problems, reached = [], 0
    page.evaluate("document.activeElement && document.activeElement.blur()")
    for _ in range(links + 5):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUS_STYLE)
        if focused["isBody"]:
            break
        if focused["tag"] == "A":
            reached += 1
        if not focused["visible"]:
            problems.append(f"{focused['tag']} '{focused['text']}' ({focused['href']}) has no visible focus style")
    if reached < links:
        problems.append(f"Tab reached {reached} of {links} links")
    return problems


def same_origin(url, origin):
    return urlsplit(url)[:2] == urlsplit(origin)[:2]


def privacy_problems(page, origin):
    """Requests that left the site's origin, and any cookie or storage the page set.
    `page` is a recorded_page (conftest): it keeps the URL of every request it made."""
    problems = [f"request to another origin: {u}" for u in page.requests if not same_origin(u, origin)]
    cookies = page.context.cookies()
    if cookies:
        problems.append(f"cookies were set: {[c['name'] for c in cookies]}")
    stored = page.evaluate("localStorage.length + sessionStorage.length")
    if stored:
        problems.append(f"{stored} items were put in web storage")
    return problems


# The marker theme/static/css/site.css sets for this.
STYLESHEET_APPLIED = "getComputedStyle(document.documentElement).getPropertyValue('--stylesheet').trim() === 'site'"


def click_through(page, start_url):
    """Open `start_url`, then click every link to another page of the site, on every page
    reached, as a reader would. Returns ({page URL reached: stylesheet applied?}, [problems])."""
    reached, problems, queue = {}, [], [start_url]
    while queue:
        url = queue.pop(0)
        if url in reached:
            continue
        page.goto(url)
        reached[url] = page.evaluate(STYLESHEET_APPLIED)
        targets = page.evaluate("""() => [...new Set([...document.querySelectorAll('a[href]')]
            .map(a => a.getAttribute('href'))
            .filter(h => !h.startsWith('#') && !/^[a-z]+:/i.test(h)))]""")
        for href in targets:
            page.goto(url)
            page.locator(f'a[href="{href}"]').first.click()
            page.wait_for_load_state("load")
            landed = page.url.split("#")[0]
            if landed.startswith("chrome-error:") or page.evaluate("document.querySelector('main') === null"):
                problems.append(f"{url}: clicking '{href}' did not open a page of the site")
            else:
                queue.append(landed)
    return reached, problems
