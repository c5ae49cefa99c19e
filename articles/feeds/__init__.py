"""RSS, Atom and JSON Feed with full content, and WebSub pings (docs/feeds.md)."""
