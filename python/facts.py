# versions: 3.7-3.13
"""The pages' claims about Python, as checks that can fail.

Each lesson's `NN_slug_facts.py` registers its claims with `@fact` and ends
with `check()`. A claim is one of two kinds:

- `since=(3, 13)`: a version claim ("Queue.shutdown came in 3.13"). It must
  hold from that version on and must NOT hold before it, so that running the
  file on 3.12 and 3.13 checks both sides.
- `on=((3, 11), (3, 13))`: a behaviour the page says was measured on those
  versions; checked there, and reported as "not checked" elsewhere.

A claim with neither holds on every version the file runs on. The check is
a function (sync or async; an async one gets a fresh event loop) that
returns True when the claim holds. `check()` prints one line per claim and
exits 1 when one is false. Written for 3.7 too: lesson 12's claim about
CancelledError is checked on 3.7 and 3.8.
"""
import asyncio
import sys
import traceback

_facts = []


def fact(claim, since=None, on=None):
    def register(check):
        _facts.append((claim, since, on, check))
        return check

    return register


def _name(version):
    return "%d.%d" % version


def _run(check):
    if asyncio.iscoroutinefunction(check):
        return asyncio.run(check())
    return check()


def check():
    here = sys.version_info[:2]
    held, not_yet, skipped, wrong = 0, 0, 0, 0
    for claim, since, on, fn in _facts:
        if on is not None and not on[0] <= here <= on[1]:
            named = _name(on[0]) if on[0] == on[1] else "%s to %s" % (
                _name(on[0]), _name(on[1]))
            print("  -  %s (the page names %s)" % (claim, named))
            skipped += 1
            continue
        expected = since is None or here >= since
        try:
            result = bool(_run(fn))
        except Exception:
            result = None
            detail = traceback.format_exc().rstrip()
        if result is expected:
            held += 1
            not_yet += not expected
            word = "holds" if expected else "not yet, as the page says"
            print("  ok %s: %s" % (claim, word))
            continue
        wrong += 1
        if result is None:
            print("  FALSE %s: the check raised\n%s" % (claim, detail))
        elif expected:
            print("  FALSE %s: does not hold on %s" % (claim, _name(here)))
        else:
            print("  FALSE %s: already holds on %s, before %s"
                  % (claim, _name(here), _name(since)))
    print("%d of %d claims as the page says on Python %s%s, %d not checked "
          "here" % (held, held + wrong, _name(here),
                    " (%d not true yet)" % not_yet if not_yet else "",
                    skipped))
    sys.exit(1 if wrong else 0)
