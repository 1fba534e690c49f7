"""Snapshots: every cached prompt as JSON (the TypeScript SDK's format, "lectern.snapshot/1"), to start
a client with prompts already cached (``bootstrap=``), served even while Lectern is unreachable."""

import datetime
import json
import os

from ._http import looks_resolved
from .errors import LecternError

SNAPSHOT_FORMAT = "lectern.snapshot/1"


def snapshot_of(entries):
    rows = [
        {
            "environment": e.key[0],
            "name": e.key[1],
            "version": e.key[2],
            "subject": e.key[3],
            "etag": e.etag,
            "response": e.response,
        }
        for e in entries
    ]
    now = datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    # Through JSON, so what the caller gets is exactly what survives being saved to a file.
    return json.loads(json.dumps({"format": SNAPSHOT_FORMAT, "createdAt": now, "entries": rows}))


def save_json(path, data):
    tmp = "%s.%d.tmp" % (path, os.getpid())
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(data, f)
    os.replace(tmp, path)


def read_snapshot(snapshot):
    """(key, response, etag) for each entry of a snapshot (a dict, or the path of a JSON file)."""
    if isinstance(snapshot, (str, os.PathLike)):
        with open(snapshot, encoding="utf-8") as f:
            snapshot = json.load(f)
    if not isinstance(snapshot, dict) or snapshot.get("format") != SNAPSHOT_FORMAT:
        raise LecternError(
            'bootstrap must be a snapshot from snapshot() (format "%s")' % SNAPSHOT_FORMAT, code="invalid_input"
        )
    entries = snapshot.get("entries")
    if not isinstance(entries, list):
        raise LecternError("bootstrap has no entries list", code="invalid_input")
    out = []
    for e in entries:
        ok = isinstance(e, dict) and looks_resolved(e.get("response"))
        if not ok or not isinstance(e.get("environment"), str) or not isinstance(e.get("name"), str):
            name = e.get("name") if isinstance(e, dict) else None
            raise LecternError(
                "bootstrap holds an entry that is not a resolved prompt", code="invalid_input", details={"name": name}
            )
        out.append(((e["environment"], e["name"], e.get("version"), e.get("subject")), e["response"], e.get("etag")))
    return out
