"""The `pool` command line: set up the database, fill it, move documents in and out, plan."""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path
from typing import Any

import click
from sqlalchemy.exc import SQLAlchemyError

from pool.db import is_initialised, make_engine, make_session_factory, upgrade
from pool.errors import PoolError
from pool.models.base import MAX_INT

MAX_SECONDS = 7 * 24 * 3600  # a week of solving is more than any plan needs


def _read_json(path: str) -> Any:
    try:
        return json.loads(Path(path).read_bytes().decode("utf-8"))
    except OSError as e:
        raise PoolError(f"cannot read {path}: {e.strerror}") from e
    except UnicodeDecodeError as e:
        raise PoolError(f"{path} is not UTF-8 text (byte {e.start}); save it as UTF-8") from e
    except json.JSONDecodeError as e:
        raise PoolError(f"{path} is not JSON: {e.msg} at line {e.lineno}, column {e.colno}") from e
    except RecursionError as e:
        raise PoolError(f"{path} nests its JSON too deep to read") from e


def _write_json(doc: Any, path: str) -> None:
    text = json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
    if path == "-":
        sys.stdout.write(text)
        return
    try:
        Path(path).write_text(text, "utf-8")
    except OSError as e:
        raise PoolError(f"cannot write {path}: {e.strerror}") from e


def _session(create: bool = False):  # type: ignore[no-untyped-def]
    engine = make_engine()
    if create:
        upgrade(engine)
    elif not is_initialised(engine):
        raise PoolError("the database is not set up yet: run `pool init` first")
    return make_session_factory(engine)()


class _Group(click.Group):
    """Turns domain and database errors into one line on stderr and exit status 1 (a bad command line: 2)."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except PoolError as e:
            click.echo(f"pool: error: {e}", err=True)
            ctx.exit(1)
        except click.UsageError as e:
            where = f"pool {e.ctx.command.name}: " if e.ctx and e.ctx.parent else "pool: "
            click.echo(f"{where}error: {e.format_message()} (see --help)", err=True)
            ctx.exit(2)
        except SQLAlchemyError as e:
            first = str(getattr(e, "orig", None) or e).strip().splitlines()[0]
            click.echo(f"pool: database error: {first}", err=True)
            ctx.exit(1)


@click.group(cls=_Group)
def main() -> None:
    """Plan pooled ICT expertise for cooperating municipalities."""


@main.command()
def init() -> None:
    """Create the database schema, or upgrade it to the newest version."""
    engine = make_engine()
    upgrade(engine)
    click.echo(f"database ready: {engine.url.render_as_string(hide_password=True)}")


@main.command()
@click.option("--size", type=click.Choice(["S", "M", "L", "XL"], case_sensitive=False), default="S")
@click.option("--seed", type=click.IntRange(0, MAX_INT), default=1, show_default=True)
@click.option("--requests", type=click.IntRange(0, 100_000), default=None,
              help="Number of requests (default: the size's).")
def demo(size: str, seed: int, requests: int | None) -> None:
    """Fill an empty database with a believable cooperation and demo accounts."""
    from pool.services.demo import load_demo

    with _session(create=True) as session:
        summary = load_demo(session, size.upper(), seed, requests)
    click.echo(summary.describe())


@main.command("import")
@click.argument("file")
def import_(file: str) -> None:
    """Import a pool-instance/1 document (all or nothing)."""
    from pool.services.exchange import import_instance

    doc = _read_json(file)
    with _session(create=True) as session:
        counts = import_instance(session, doc)
    click.echo("imported " + ", ".join(f"{n} {k.replace('_', ' ')}" for k, n in counts.items()))


@main.command()
@click.argument("username")
@click.option("--role", type=click.Choice(["coordinator", "team_lead", "specialist"]), default="coordinator",
              show_default=True)
@click.option("--name", default="", help="The person's name (default: the user name).")
@click.option("--email", default="", help="Where notifications go by e-mail, when POOL_SMTP_URL is set.")
@click.option("--municipality", default=None, help="A team lead's municipality, by its CBS code (GM0505).")
@click.option("--specialist", default=None, help="A specialist account's specialist, by its code.")
@click.password_option(envvar="POOL_ACCOUNT_PASSWORD", help="Asked twice when not given (or POOL_ACCOUNT_PASSWORD).")
def account(username: str, role: str, name: str, email: str, municipality: str | None, specialist: str | None,
            password: str) -> None:
    """Create an account: the first coordinator of a database filled by `pool import`, or any other."""
    from pool.services.accounts import AccountInput, create_user, ids_for_codes

    with _session() as session:
        municipality_id, specialist_id = ids_for_codes(session, municipality, specialist)
        user = create_user(session, "command line", AccountInput(
            username=username, name=name or username, email=email, role=role, municipality_id=municipality_id,
            specialist_id=specialist_id, password=password))
        click.echo(f"created the {role.replace('_', ' ')} account {user.username}")


@main.command()
@click.option("-o", "--output", default="-", help="File to write (default: standard output).")
def export(output: str) -> None:
    """Export the planning situation as a pool-instance/1 document."""
    from pool.services.exchange import export_instance

    with _session() as session:
        _write_json(export_instance(session), output)


@main.command("export-plan")
@click.argument("plan_id", type=click.IntRange(1, MAX_INT))
@click.option("-o", "--output", default="-", help="File to write (default: standard output).")
def export_plan(plan_id: int, output: str) -> None:
    """Export a stored plan as a pool-plan/1 document."""
    from pool.services.exchange import export_plan as export

    with _session() as session:
        _write_json(export(session, plan_id), output)


@main.command("import-plan")
@click.argument("file")
@click.option("--name", default="", help="Name of the draft plan.")
def import_plan(file: str, name: str) -> None:
    """Store a pool-plan/1 document for the current situation as a draft plan."""
    from pool.services.exchange import import_plan as import_

    doc = _read_json(file)
    with _session() as session:
        plan = import_(session, doc, name=name or Path(file).stem)
        click.echo(f"stored draft plan {plan.id} with {len(plan.assignments)} assignments")


def _config(time_limit: float, workers: int, seed: int, reproducible: bool, frozen_weeks: int):  # type: ignore[no-untyped-def]
    from solver.config import PlanningConfig

    if not (math.isfinite(time_limit) and 0 < time_limit <= MAX_SECONDS):
        raise PoolError(f"--time-limit is a number of seconds above 0 and at most {MAX_SECONDS}")
    return PlanningConfig(
        time_limit=time_limit, workers=workers, seed=seed, reproducible=reproducible, frozen_weeks=frozen_weeks
    )


def _progress_printer(verbose: bool):  # type: ignore[no-untyped-def]
    if not verbose:
        return None

    def show(p: Any) -> None:
        click.echo(f"  {p.seconds:7.1f} s  {p.step:<8} objective {p.objective:,.0f}  bound {p.bound:,.0f}", err=True)

    return show


def _stop_on_interrupt():  # type: ignore[no-untyped-def]
    """Return an event that Ctrl-C sets, so a solve stops early and keeps its best plan."""
    import signal
    import threading

    stop = threading.Event()
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    return stop


_solve_options = [
    click.option("--time-limit", type=float, default=10.0, show_default=True, help="Seconds for the solve."),
    click.option("--workers", type=click.IntRange(1, 64), default=2, show_default=True, help="CP-SAT search workers."),
    click.option("--seed", type=click.IntRange(0, MAX_INT), default=0, show_default=True,
                 help="Random seed of the search."),
    click.option(
        "--reproducible/--fast", default=False, show_default=True,
        help="Same input and seed give the same plan (deterministic time limit).",
    ),
    click.option("--frozen-weeks", type=click.IntRange(0, 260), default=0, show_default=True,
                 help="Weeks from the start in which the previous plan stays as it is."),
    click.option("-v", "--verbose", is_flag=True, help="Print progress (objective and bound) on stderr."),
]


def solve_options(f):  # type: ignore[no-untyped-def]
    for option in reversed(_solve_options):
        f = option(f)
    return f


@main.command()
@click.argument("instance")
@click.option("-o", "--output", default="-", help="Plan file to write (default: standard output).")
@click.option("--greedy", is_flag=True, help="Use the priority-first greedy baseline instead of CP-SAT.")
@solve_options
def solve(instance: str, output: str, greedy: bool, time_limit: float, workers: int, seed: int,
          reproducible: bool, frozen_weeks: int, verbose: bool) -> None:
    """Plan a pool-instance/1 file and write a pool-plan/1 file; Ctrl-C stops early with the best plan."""
    import solver
    from pool.translate import checked_instance

    problem = checked_instance(_read_json(instance))
    config = _config(time_limit, workers, seed, reproducible, frozen_weeks)
    if greedy:
        result = solver.greedy(problem, config)
    else:
        result = solver.solve(problem, config, on_progress=_progress_printer(verbose), stop=_stop_on_interrupt())
    _write_json(solver.plan_document(result), output)
    k = result.kpis
    click.echo(
        f"{result.status}: filled {k['filled_hours']} of {k['demand_hours']} hours, weighted fill "
        f"{k['weighted_fill']}, partner cost {k['partner_cost']}, {len(result.unmet)} needs not fully filled",
        err=True,
    )


@main.command()
@click.option("--greedy", is_flag=True, help="Use the priority-first greedy baseline instead of CP-SAT.")
@click.option("--publish", is_flag=True, help="Publish the new plan at once.")
@click.option("--name", default="", help="Name of the plan.")
@solve_options
def plan(greedy: bool, publish: bool, name: str, time_limit: float, workers: int, seed: int, reproducible: bool,
         frozen_weeks: int, verbose: bool) -> None:
    """Plan the approved requests in the database and store the result as a draft (or published) plan."""
    from pool.services.planning import plan_situation, publish_plan

    config = _config(time_limit, workers, seed, reproducible, frozen_weeks)
    with _session() as session:
        stored = plan_situation(
            session, config, method="greedy" if greedy else "cp-sat", name=name,
            on_progress=_progress_printer(verbose), stop=None if greedy else _stop_on_interrupt(),
        )
        if publish:
            publish_plan(session, stored.id)
        click.echo(f"stored {stored.status} plan {stored.id}: {len(stored.assignments)} assignments, "
                   f"{len(stored.unmet)} needs not fully filled")


@main.command()
@click.argument("instance")
@click.argument("plan_file", metavar="PLAN")
@click.option("--request", "request_id", default=None, help="Explain the assignments of this request.")
@click.option("--need", type=click.IntRange(0, 99), default=None, help="Only this need of the request (from 0).")
def explain(instance: str, plan_file: str, request_id: str | None, need: int | None) -> None:
    """Explain a plan: the score per rule, or why these specialists work on a request and what stays unfilled."""
    import solver
    from pool.formats import validate_plan
    from pool.translate import instance_from_document
    from solver.instance import Assignment

    doc = _read_json(instance)
    problem = instance_from_document(doc)
    plan_doc = validate_plan(_read_json(plan_file), doc)
    if request_id is None:
        click.echo("score per rule (weight × value = contribution):")
        for rule, s in plan_doc["kpis"].get("objective_breakdown", {}).items():
            value = f"{s['value']:,.0f}" if float(s["value"]).is_integer() else f"{s['value']:.4f}"
            click.echo(f"  {rule:<18} {s['weight']:>6} × {value:>12} = {s['contribution']:>16,.0f}")
        click.echo(f"{len(plan_doc['unmet'])} needs not fully filled; --request R explains one request")
        return
    request = next((r for r in problem.requests if r.id == request_id), None)
    if request is None:
        raise PoolError(f"the instance has no request {request_id!r}")
    result = solver.PlanResult(
        status=str(plan_doc["solver"].get("status", "")),
        assignments=tuple(
            Assignment(a["request"], a["need"], a["specialist"], a["week"], a["hours"], a.get("pinned", False))
            for a in plan_doc["assignments"]
        ),
        unmet=(), kpis={}, solver={}, frozen_weeks=int(plan_doc["solver"].get("frozen_weeks", 0)),
    )
    for i, n in enumerate(request.needs):
        if need is not None and i != need:
            continue
        click.echo(f"{request.id} need {i}: {n.skill} at level {n.min_level} or higher, {n.hours} h")
        for sid in sorted({a.specialist for a in result.assignments if a.request == request.id and a.need == i}):
            click.echo("  " + solver.explain_assignment(problem, result, request.id, i, sid))
        for u in plan_doc["unmet"]:
            if u["request"] == request.id and u["need"] == i:
                click.echo(f"  not filled: {u['hours']} h ({u['reason']}): {u['detail']}")


@main.command()
def scheduler() -> None:
    """Run planner runs and the recurring jobs; a second scheduler waits until the first one stops."""
    import logging
    import signal

    from pool.scheduler import SchedulerService

    engine = make_engine()
    if not is_initialised(engine):
        raise PoolError("the database is not set up yet: run `pool init` first")
    engine.dispose()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    service = SchedulerService()

    def stop(*_: object) -> None:
        service.stopping.set()
        service.poke.set()

    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, stop)
    click.echo(f"scheduler {service.holder} started on {make_engine().url.render_as_string(hide_password=True)}",
               err=True)
    service.run()


@main.command("backup")
@click.argument("file")
def backup_(file: str) -> None:
    """Write the whole cooperation, accounts and audit trail included, to FILE (keep it as secret as the database)."""
    from pool.services.backup import backup

    with _session() as session:
        doc = backup(session)
    _write_json(doc, file)
    rows = sum(len(t["rows"]) for t in doc["tables"].values())
    click.echo(f"backed up {rows} rows of {len(doc['tables'])} tables to {file}", err=True)


@main.command()
@click.argument("file")
def restore(file: str) -> None:
    """Bring back a `pool backup` FILE into an empty database (the schema is created if needed); all or nothing."""
    from pool.services.backup import restore as restore_backup

    doc = _read_json(file)
    with _session(create=True) as session:
        counts = restore_backup(session, doc)
    click.echo(f"restored {sum(counts.values())} rows of {len(counts)} tables from {file}", err=True)
