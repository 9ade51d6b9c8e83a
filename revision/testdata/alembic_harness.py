"""Drive Alembic's revision machinery for retort's compatibility test.

Reads JSON on stdin: {"dir": SCRIPT_DIR, "ops": [...]} and prints JSON.
Each op runs against a simulated version table ("state", a sorted list
of rows) that upgrade/downgrade/stamp ops advance, exactly as Alembic's
HeadMaintainer would change it. Files are read in sorted name order, as
Alembic after 1.8 does, so both sides see the same load order.
"""
import json
import os
import sys

import alembic.script.base as base
from alembic.runtime.migration import HeadMaintainer
from alembic.script import ScriptDirectory

_listdir = os.listdir
base.os.listdir = lambda p: sorted(_listdir(p))


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
    out = []
    for step in steps:
        rec.ops = []
        rec.update_to_step(step)
        out.append({
            "up": step.is_upgrade,
            "rev": getattr(getattr(step, "revision", None), "revision", ""),
            "ops": rec.ops,
        })
    return {"steps": out, "heads": sorted(rec.heads)}


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
                state = res["heads"]
        except Exception as e:  # every failure is compared as "an error"
            res = {"error": "%s: %s" % (type(e).__name__, e), "state": list(state)}
        results.append(res)
    json.dump(results, sys.stdout)


if __name__ == "__main__":
    main()
