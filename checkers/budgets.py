"""The performance budgets, in one place. Bytes are deterministic, so these are ordinary tests.

14 KiB gzip: what a server can send in the first round trip of a new connection (TCP's
initial window of 10 packets, about 14.6 KB), so a page shows after one round trip.
"""

from pelicanconf import IMAGE_MAX_BYTES

PAGE_GZIP_BYTES = 14 * 1024  # a page plus everything it loads, gzip-compressed
# An evidence page (each statement beside its sources' words) is a reference a reader opens on
# purpose, from a page's References: a few round trips, no more than a small image.
EVIDENCE_PAGE_GZIP_BYTES = 48 * 1024
REQUESTS_PER_PAGE = 2  # the HTML and one stylesheet (the icon is a data: URL, never fetched)
# A picture from content/images/ comes after the text it illustrates, one request each; its
# limit is the build's own, which refuses a larger one at the door.
PICTURE_BYTES = IMAGE_MAX_BYTES
JAVASCRIPT_BYTES = 0
WEB_FONT_FILES = 0
