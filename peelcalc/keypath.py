"""Key paths as messages show them: ``areas.q1-tactics.findings[2].kind``."""


def join_path(parent: str, key: str) -> str:
    """Join a key path and a key (or an ``[index]``)."""
    if not parent:
        return key
    if key.startswith("["):
        return parent + key
    return f"{parent}.{key}"
