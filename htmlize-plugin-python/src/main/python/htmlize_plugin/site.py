"""The host's site, as a plugin sees it: every page's Post, through htmlize.v1.Site on the go-plugin broker."""
from htmlize.v1 import htmlizer_pb2, htmlizer_pb2_grpc


class Site:
    """Every page of the site: its Post (title, source path, output path, date, tags, metadata), by source path or
    id. The host knows every page before the first one renders, so lookups see pages not rendered yet. Thread-safe."""

    def __init__(self, channel, timeout=60):
        self._stub = htmlizer_pb2_grpc.SiteStub(channel)
        self._timeout = timeout

    def pages(self):
        """Every page's Post, in source path order."""
        return list(self._stub.ListPages(htmlizer_pb2.ListPagesRequest(), timeout=self._timeout).pages)

    def page(self, source_path):
        """The Post of the page with this source path ("docs/guide.md"), or None."""
        answer = self._stub.GetPage(htmlizer_pb2.GetPageRequest(source_path=source_path), timeout=self._timeout)
        return answer.page if answer.found else None

    def page_by_id(self, page_id):
        """The Post of the page with this id, or None."""
        answer = self._stub.GetPage(htmlizer_pb2.GetPageRequest(id=page_id), timeout=self._timeout)
        return answer.page if answer.found else None


class NoSite:
    """The site of a host that offers none: every lookup fails, saying so."""

    def _unavailable(self, *args):
        raise RuntimeError("the host offers no site (an older host, or a test that configures without one)")

    pages = page = page_by_id = _unavailable
