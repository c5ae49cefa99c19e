"""Where fenced code starts and ends: dialect rewrites leave code alone."""

import re

FENCE = re.compile(r"^( {0,3})(`{3,}|~{3,})(.*)$")


def fence_closes(line, opening):
    match = FENCE.match(line)
    return bool(
        match
        and match.group(2)[0] == opening[0]
        and len(match.group(2)) >= len(opening)
        and not match.group(3).strip()
    )


def outside_fences(lines):
    """Yield (index, line, is_outside_code) for each line."""
    opening = None
    for index, line in enumerate(lines):
        if opening is None:
            match = FENCE.match(line)
            if match and not (match.group(2)[0] == "`" and "`" in match.group(3)):
                opening = match.group(2)
                yield index, line, False
                continue
            yield index, line, True
        else:
            if fence_closes(line, opening):
                opening = None
            yield index, line, False
