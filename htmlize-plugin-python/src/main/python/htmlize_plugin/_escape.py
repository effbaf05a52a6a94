"""The Java SDK's Html.escape, byte for byte."""

_TABLE = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"})


def escape(text):
    """Escapes text for HTML as the Java SDK's Html.escape does: & < > " ' and nothing else (Python's html.escape
    writes &#x27; for ', the same in a browser but not the same bytes)."""
    return text.translate(_TABLE)
