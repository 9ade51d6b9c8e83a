"""Drive Alembic's revision machinery for retort's compatibility test.

Reads JSON on stdin: {"dir": SCRIPT_DIR, "ops": [...]} and prints JSON.
Each op runs against a simulated version table ("state", a sorted list
of rows) that upgrade/downgrade/stamp ops advance, exactly as Alembic's
HeadMaintainer would change it. Files are read in sorted name order, as
Alembic after 1.8 does, so both sides see the same load order.

With --serve the harness answers one request per line instead: a line
{"dir": SCRIPT_DIR} loads a script directory, and a line {"op": ...,
"state": [...]} runs one op from that state; each answer is one line.
Errors then say in which phase Alembic failed: "plan" (resolving the
target or collecting revisions) or "rows" (HeadMaintainer, after the
steps were planned; the planned revisions are still reported).

Alembic keeps a revision's normalised depends_on in a Python set, so
with two or more of them the walk order depends on the interpreter's
hash seed. Unless --python-set-order is given, the harness puts them
back in the order the file declares them: for each revision an order
Alembic itself may take, and the one retort uses.
"""
import json
import os
import sys
import warnings

import alembic.script.base as base
from alembic.runtime.migration import HeadMaintainer
from alembic.script import ScriptDirectory
from alembic.script.revision import RevisionMap

_listdir = os.listdir
base.os.listdir = lambda p: sorted(_listdir(p))

_normalize = RevisionMap._normalize_depends_on


def _normalize_declared(self, revisions, map_):
    _normalize(self, revisions, map_)
    for rev in revisions:
        kept = set(rev._normalized_resolved_dependencies)
        rev._normalized_resolved_dependencies = tuple(
            d for d in dict.fromkeys(rev._resolved_dependencies) if d in kept
        )


if "--python-set-order" not in sys.argv:
    RevisionMap._normalize_depends_on = _normalize_declared


class Recorder(HeadMaintainer):
    def __init__(self, heads):
        self.heads = set(heads)
        self.ops = []

    def _insert_version(self, v):
        assert v not in self.heads
        self.heads.add(v)
        self.ops.append(["insert", "", v])

    def _delete_version(self, v):
        self.heads.remove(v)
        self.ops.append(["delete", v, ""])

    def _update_version(self, f, t):
        assert t not in self.heads
        self.heads.remove(f)
        self.heads.add(t)
        self.ops.append(["update", f, t])


def ids(revs):
    return [r.revision for r in revs if r is not None]


def run(script, op, state):
    kind = op["op"]
    if kind == "heads":
        return {"ids": list(script.get_heads())}
    if kind == "realheads":
        return {"ids": ids(script.get_revisions("heads"))}
    if kind == "bases":
        return {"ids": list(script.get_bases())}
    if kind == "labels":
        return {"labels": {r.revision: sorted(r.branch_labels) for r in script.walk_revisions()}}
    if kind == "history":
        return {"ids": ids(script.walk_revisions(op.get("lower") or "base", op.get("upper") or "heads"))}
    if kind == "resolve":
        return {"ids": ids(script.get_revisions(op["target"]))}
    if kind == "current":
        return {"ids": sorted(ids(script.get_all_current(tuple(state))))}
    if kind == "upgrade":
        steps = script._upgrade_revs(op["target"], tuple(state))
    elif kind == "downgrade":
        steps = script._downgrade_revs(op["target"], tuple(state))
    elif kind == "stamp":
        steps = script._stamp_revs(tuple(op["targets"]), tuple(state))
    else:
        raise ValueError(kind)
    rec = Recorder(state)
    out = [{
        "up": step.is_upgrade,
        "rev": getattr(getattr(step, "revision", None), "revision", ""),
    } for step in steps]
    for i, step in enumerate(steps):
        rec.ops = []
        try:
            rec.update_to_step(step)
        except Exception as e:
            raise RowsFailed(e, out)
        out[i]["ops"] = rec.ops
    return {"steps": out, "heads": sorted(rec.heads)}


class RowsFailed(Exception):
    """HeadMaintainer failed on a planned step."""

    def __init__(self, err, steps):
        Exception.__init__(self, err)
        self.err = err
        self.steps = steps


def serve():
    warnings.simplefilter("ignore")  # "downgrade -1 from multiple heads is ambiguous"
    script = None
    for line in sys.stdin:
        req = json.loads(line)
        if "dir" in req:
            script = ScriptDirectory(req["dir"])
            res = {}
        else:
            state = req.get("state") or []
            try:
                res = run(script, req, state)
            except RowsFailed as e:
                res = {"error": "%s: %s" % (type(e.err).__name__, e.err),
                       "phase": "rows", "steps": e.steps}
            except Exception as e:
                res = {"error": "%s: %s" % (type(e).__name__, e), "phase": "plan"}
        sys.stdout.write(json.dumps(res) + "\n")
        sys.stdout.flush()


def tips(script, heads):
    """The rows that record what heads record, without a row for an
    ancestor of another: where Alembic leaves such a row, the next op
    starts from the table retort would hold."""
    revmap = script.revision_map
    below = set()
    for h in heads:
        for r in revmap._get_ancestor_nodes(revmap.get_revisions([h])):
            if r.revision != h:
                below.add(r.revision)
    return sorted(h for h in heads if h not in below)


def main():
    spec = json.load(sys.stdin)
    script = ScriptDirectory(spec["dir"])
    state = []
    results = []
    for op in spec["ops"]:
        if op["op"] == "reset":
            state = list(op.get("state", []))
            results.append({})
            continue
        try:
            res = run(script, op, state)
            res["state"] = list(state)
            if "heads" in res:
                state = tips(script, res["heads"])
        except RowsFailed as e:  # every failure is compared as "an error"
            res = {"error": "%s: %s" % (type(e.err).__name__, e.err), "state": list(state)}
        except Exception as e:
            res = {"error": "%s: %s" % (type(e).__name__, e), "state": list(state)}
        results.append(res)
    json.dump(results, sys.stdout)


if __name__ == "__main__":
    if "--serve" in sys.argv:
        serve()
    else:
        main()
