"""Command-line tasks: `flask --app portal seed-reference`, `seed-demo`, `reminders`,
`retention`, `translate ...`."""

from __future__ import annotations

import subprocess
import sys
from datetime import datetime
from zoneinfo import ZoneInfo

import click
from flask import Flask, current_app

from portal.config import PROJECT_ROOT
from portal.extensions import db

BABEL_CFG = PROJECT_ROOT / "babel.cfg"
POT_FILE = PROJECT_ROOT / "translations" / "messages.pot"


def _pybabel(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", *args], check=True)


def _today():
    """Today in the portal's timezone."""
    return datetime.now(ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])).date()


def register_cli(app: Flask) -> None:
    @app.cli.command("seed-demo")
    @click.option(
        "--size",
        type=click.IntRange(min=0),
        default=0,
        show_default=True,
        help="Also generate a region of this many workers (regio-demo.nl) for the dashboard.",
    )
    @click.option(
        "--seed",
        type=int,
        default=None,
        help="Random seed of the generated region (default: a fixed seed).",
    )
    def seed_demo_command(size: int, seed: int | None):
        """Seed Midden-Utrecht reference data and the demo cast (idempotent); with --size, a
        generated region on top (a second run adds only the missing workers)."""
        from portal.demo import DEMO_PASSWORD, seed_demo
        from portal.demo_region import DEFAULT_SEED, DOMAIN, seed_region

        if current_app.config["ENV_NAME"] == "production":
            raise click.ClickException("seed-demo is refused in production")
        cast = seed_demo(db.session)
        db.session.commit()
        click.echo(f"Demo log-ins (password for all: {DEMO_PASSWORD}):")
        for role, users in cast.items():
            for user in users:
                click.echo(f"  {role:<15} {user.email:<32} {user.full_name}")
        if size:
            region = seed_region(db.session, _today(), size, DEFAULT_SEED if seed is None else seed)
            db.session.commit()
            click.echo(
                f"Generated region (@{DOMAIN}): {region.workers} workers ({region.added} new), "
                f"{region.placements} placements, {region.employers} employers, "
                f"{region.contact_persons} contact persons."
            )

    @app.cli.command("demo-code")
    @click.argument("email")
    def demo_code_command(email: str):
        """Print the current two-step verification code of a demo staff account (only accounts
        with the published demo key, so it never shows the code of a real account)."""
        from datetime import UTC

        from sqlalchemy import func, select

        from portal.demo import DEMO_TOTP_SECRET
        from portal.models import User
        from portal.services.two_factor import code_at, step_of

        user = db.session.scalar(select(User).where(func.lower(User.email) == email.lower()))
        if user is None or user.totp_secret != DEMO_TOTP_SECRET or not user.two_factor_enabled:
            raise click.ClickException(f"{email} is not a demo account with the demo key")
        click.echo(code_at(DEMO_TOTP_SECRET, step_of(datetime.now(UTC))))

    @app.cli.command("seed-caseload")
    @click.option("--workers", type=click.IntRange(min=1), default=200, show_default=True)
    @click.option("--contact", default="f.elamrani@wsp-demo.nl", show_default=True)
    @click.option(
        "--contract-end",
        type=click.DateTime(formats=["%Y-%m-%d"]),
        help="Every contract ends on this date (default: spread over the coming year).",
    )
    def seed_caseload_command(workers: int, contact: str, contract_end: datetime | None):
        """Give a demo contact person a large caseload (load benchmark, fault tests)."""
        from portal.demo_load import seed_caseload

        if current_app.config["ENV_NAME"] == "production":
            raise click.ClickException("seed-caseload is refused in production")
        try:
            ids = seed_caseload(
                db.session,
                contact,
                workers,
                _today(),
                contract_end.date() if contract_end else None,
            )
        except ValueError as exc:
            raise click.ClickException(str(exc)) from exc
        db.session.commit()
        click.echo(f"{contact} has {len(ids)} extra workers.")

    @app.cli.command("seed-reference")
    def seed_reference_command():
        """Seed the region's reference data: organisations, municipalities, routing, end reasons
        and the first evaluation questionnaire (idempotent; also for production)."""
        from portal.demo import seed_reference_data

        seed_reference_data(db.session)
        db.session.commit()
        click.echo("Reference data is in place.")

    @app.cli.command("retention")
    @click.option(
        "--years",
        type=click.IntRange(min=1),
        help="Years after the last placement ended (default: RETENTION_YEARS, 5).",
    )
    @click.option(
        "--today",
        type=click.DateTime(formats=["%Y-%m-%d"]),
        help="Run as if it were this date (YYYY-MM-DD); default: today.",
    )
    @click.option("--dry-run", is_flag=True, help="Only count who would be anonymised.")
    def retention_command(years: int | None, today: datetime | None, dry_run: bool):
        """Anonymise workers whose placements all ended more than the retention period ago."""
        from portal.services.retention import apply_retention

        years = years or current_app.config["RETENTION_YEARS"]
        day = today.date() if today else _today()
        result = apply_retention(db.session, day, years, dry_run=dry_run)
        if dry_run:
            db.session.rollback()
            click.echo(
                f"Dry run: {len(result.workers)} workers ended before "
                f"{result.cutoff.isoformat()} would be anonymised."
            )
            return
        db.session.commit()
        deleted = ", ".join(f"{table} {count}" for table, count in result.deleted.items() if count)
        click.echo(
            f"{len(result.workers)} workers ended before {result.cutoff.isoformat()} anonymised."
            + (f" Deleted: {deleted}." if deleted else "")
        )

    @app.cli.command("reminders")
    @click.option(
        "--today",
        type=click.DateTime(formats=["%Y-%m-%d"]),
        help="Run as if it were this date (YYYY-MM-DD); default: today in the portal's timezone.",
    )
    def reminders_command(today: datetime | None):
        """Send the due contract-end and evaluation reminders (safe to run repeatedly)."""
        from portal.notify import run_reminders_now

        day = today.date() if today else _today()
        result = run_reminders_now(db.session, day)
        click.echo(
            f"Reminders for {day.isoformat()}: {result.sent} sent, "
            f"{result.skipped} skipped (sent before), {result.failed} failed."
        )
        if result.failed:
            raise click.exceptions.Exit(1)

    @app.cli.group()
    def translate():
        """Translation and localisation commands (wrapping pybabel)."""

    @translate.command()
    def extract():
        """Extract the messages into translations/messages.pot."""
        _pybabel(
            "extract",
            "-F",
            str(BABEL_CFG),
            "-k",
            "_l",
            "--no-location",
            "--sort-output",
            "-o",
            str(POT_FILE),
            str(PROJECT_ROOT / "portal"),
        )

    @translate.command()
    def update():
        """Extract, then merge new messages into the nl and en catalogues."""
        extract.callback()
        _pybabel("update", "-i", str(POT_FILE), "-d", str(POT_FILE.parent), "--no-fuzzy-matching")

    @translate.command()
    def compile():  # noqa: A001 - the pybabel verb
        """Compile the catalogues (.po -> .mo)."""
        _pybabel("compile", "-d", str(POT_FILE.parent), "--statistics")
